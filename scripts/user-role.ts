// `npm run user:grant -- <phone-or-username> <role> [unit code]` and `npm run user:revoke -- ...`: gives or takes a
// role on DATABASE_URL, or on the PGlite database in HOCSO_DATA_DIR. admin takes no unit; official, trainer and
// team_member take the code of a current unit (a code names one current unit; older units reuse codes).
// What it does is in src/lib/server/auth/role-command.ts; this file reads the arguments and opens the database.
import { connectDatabase, type DbHandle } from '../src/lib/server/db/connect';
import { DataDirLockedError } from '../src/lib/server/db/data-dir-lock';
import { dataDirInUseMessage, parseRoleCommand, runRoleCommand } from '../src/lib/server/auth/role-command';

function stop(message: string): never {
	console.error(message);
	process.exit(1);
}

const args = process.argv.slice(2);
const parsed = parseRoleCommand(args);
if ('error' in parsed) stop(parsed.error);

const url = process.env.DATABASE_URL || undefined;
const dataDir = process.env.HOCSO_DATA_DIR || 'data';
let h: DbHandle;
try {
	h = await connectDatabase({ url, dataDir });
} catch (e) {
	if (e instanceof DataDirLockedError) stop(dataDirInUseMessage(dataDir, e.message));
	stop(`Không mở được cơ sở dữ liệu: ${(e as Error).message}`);
}

try {
	const result = await runRoleCommand(h.db, args);
	for (const line of result.stdout) console.log(line);
	for (const line of result.stderr) console.error(line);
	process.exitCode = result.code;
} finally {
	await h.close();
}
