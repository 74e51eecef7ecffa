// `npm run gift:import -- <file.gift> <lesson.md>`: appends the questions of a .gift file (a Moodle export, for
// example) to a lesson as a ```gift block and says what changed. Nothing is written when the file or the lesson
// would then have an error. What it does is giftImportCommand (src/lib/server/content/commands.ts).
import { giftImportCommand } from '../src/lib/server/content/commands';

const result = giftImportCommand(process.argv.slice(2));
for (const line of result.lines) console.log(line);
process.exitCode = result.code;
