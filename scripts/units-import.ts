// `npm run units:import -- FILE.csv [--lineage LINEAGE.csv] [--retire-on YYYY-MM-DD] [--dry-run]`: loads a
// province's list of administrative units (format: docs/operations.md, "Danh mục đơn vị"; the same columns as
// seed/units/*.csv) into DATABASE_URL or the PGlite database in HOCSO_DATA_DIR. Prints what it added, changed and
// retired; a bad file is refused whole, with its file and line numbers, and nothing is changed.
import fs from 'node:fs';
import path from 'node:path';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { importSeedUnitsIfEmpty } from '../src/lib/server/units/import';
import { importUnitList, UnitImportError, type UnitChange, type UnitImportPlan } from '../src/lib/server/units/list-import';
import { todayInVietnam } from '../src/lib/server/stats/period';
import { openDatabaseForCommand } from './cli-db';

const USAGE = `Cách dùng:
  npm run units:import -- <tệp danh mục.csv> [--lineage <tệp kế thừa.csv>] [--retire-on YYYY-MM-DD] [--dry-run]
Tệp danh mục có các cột code,name,level,type,parent_code,valid_from,valid_to (như seed/units/*.csv).
--lineage: tệp old_code,new_code,kind (full hoặc partial) nối đơn vị cũ với đơn vị mới khi sáp nhập.
--retire-on: ngày kết thúc các đơn vị không còn trong tệp (mặc định: hôm nay).
--dry-run: chỉ in những gì sẽ thay đổi, không ghi gì.`;

function stop(message: string): never {
	console.error(message);
	process.exit(1);
}

const args = process.argv.slice(2);
let file: string | undefined;
let lineageFile: string | undefined;
let retireOn = todayInVietnam();
let dryRun = false;
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	if (a === '--lineage') lineageFile = args[++i];
	else if (a === '--retire-on') retireOn = args[++i] ?? '';
	else if (a === '--dry-run') dryRun = true;
	else if (a === '--help' || a === '-h') {
		console.log(USAGE);
		process.exit(0);
	} else if (a.startsWith('--')) stop(`Không hiểu tùy chọn ${a}.\n${USAGE}`);
	else if (!file) file = a;
	else stop(`Chỉ nhận một tệp danh mục (thừa "${a}").\n${USAGE}`);
}
if (!file) stop(USAGE);
if (lineageFile === undefined && args.includes('--lineage')) stop(`--lineage cần tên tệp.\n${USAGE}`);

const read = (f: string) => {
	try {
		return { name: path.basename(f), csv: fs.readFileSync(f, 'utf8') };
	} catch (e) {
		stop(`Không đọc được tệp ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'không có tệp này' : (e as Error).message}`);
	}
};
const list = read(file);
const lineage = lineageFile ? read(lineageFile) : undefined;

function printGroup(title: string, items: UnitChange[]) {
	console.log(`${title}: ${items.length}`);
	for (const c of items.slice(0, 200)) console.log(`  ${c.code}  ${c.name}${c.details?.length ? `  (${c.details.join('; ')})` : ''}`);
	if (items.length > 200) console.log(`  ... và ${items.length - 200} đơn vị khác`);
}

const h = await openDatabaseForCommand(`npm run units:import -- ${args.join(' ')}`);
try {
	await migrateToLatest(h.db);
	// The shipped units come first, as at the app's first start, so a list can refer to them.
	await importSeedUnitsIfEmpty(h.db);
	const plan: UnitImportPlan = await h.db.transaction().execute((trx) => importUnitList(trx, list, { lineage, retireOn, dryRun }));
	console.log(dryRun ? `Thử nhập ${list.name} (không ghi gì):` : `Đã nhập ${list.name}:`);
	printGroup('Thêm mới', plan.added);
	printGroup('Thay đổi', plan.changed);
	printGroup('Kết thúc', plan.retired);
	if (lineage) console.log(`Quan hệ kế thừa trong ${lineage.name}: ${plan.lineageRows} dòng`);
	for (const w of plan.warnings) console.log(`Lưu ý: ${w}`);
	if (!plan.added.length && !plan.changed.length && !plan.retired.length && !lineage) console.log('Danh mục đã khớp với cơ sở dữ liệu: không có gì thay đổi.');
} catch (e) {
	if (e instanceof UnitImportError) {
		console.error(`Không nhập ${list.name}: tệp có ${e.problems.length} lỗi, không thay đổi gì.`);
		for (const p of e.problems.slice(0, 100)) console.error(`  ${p}`);
		if (e.problems.length > 100) console.error(`  ... và ${e.problems.length - 100} lỗi khác`);
	} else console.error((e as Error).message);
	process.exitCode = 1;
} finally {
	await h.close();
}
