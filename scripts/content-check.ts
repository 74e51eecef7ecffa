// `npm run content:check [path]`: checks every course (or the courses/files under `path`) and prints each
// problem as `file:line: message`. Exits 1 when there is an error. What it does is contentCheckCommand
// (src/lib/server/content/commands.ts).
import { contentCheckCommand } from '../src/lib/server/content/commands';

const result = contentCheckCommand(process.argv.slice(2), process.env.HOCSO_CONTENT_DIR || 'content');
for (const line of result.lines) console.log(line);
process.exitCode = result.code;
