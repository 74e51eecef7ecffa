// `npm run units:import -- FILE.csv [--lineage LINEAGE.csv] [--retire-on YYYY-MM-DD] [--dry-run]`: loads a
// province's list of administrative units (format: docs/operations.md, "Danh mục đơn vị"; the same columns as
// seed/units/*.csv) into DATABASE_URL or the PGlite database in HOCSO_DATA_DIR. Prints what it added, changed and
// retired; a bad file is refused whole, with its file and line numbers, and nothing is changed.
// What it does is in src/lib/server/units/import-command.ts; this file reads the arguments and files and opens the
// database.
import fs from 'node:fs';
import path from 'node:path';
import { parseUnitsImportCommand, runUnitsImport, UNITS_IMPORT_USAGE } from '../src/lib/server/units/import-command';
import { todayInVietnam } from '../src/lib/server/stats/period';
import { openDatabaseForCommand } from './cli-db';

function stop(message: string): never {
	console.error(message);
	process.exit(1);
}

const args = process.argv.slice(2);
const parsed = parseUnitsImportCommand(args, todayInVietnam());
if ('help' in parsed) {
	console.log(UNITS_IMPORT_USAGE);
	process.exit(0);
}
if ('error' in parsed) stop(parsed.error);

const read = (f: string) => {
	try {
		return { name: path.basename(f), csv: fs.readFileSync(f, 'utf8') };
	} catch (e) {
		stop(`Không đọc được tệp ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'không có tệp này' : (e as Error).message}`);
	}
};
const list = read(parsed.file);
const lineage = parsed.lineageFile ? read(parsed.lineageFile) : undefined;

const h = await openDatabaseForCommand(`npm run units:import -- ${args.join(' ')}`);
try {
	const result = await runUnitsImport(h.db, list, { lineage, retireOn: parsed.retireOn, dryRun: parsed.dryRun });
	for (const line of result.stdout) console.log(line);
	for (const line of result.stderr) console.error(line);
	process.exitCode = result.code;
} finally {
	await h.close();
}
