// `npm run gift:export -- <course> [file.gift]`: writes the quiz questions of a course as a .gift file that Moodle
// imports (Question bank > Import > GIFT format), with a category per lesson. <course> is the course folder, its
// name without the number (lam-quen-dien-thoai) or its code (K1). What it does is giftExportCommand
// (src/lib/server/content/commands.ts).
import { giftExportCommand } from '../src/lib/server/content/commands';

const result = giftExportCommand(process.argv.slice(2), process.env.HOCSO_CONTENT_DIR || 'content');
for (const line of result.lines) console.log(line);
process.exitCode = result.code;
