// What `npm run units:import` does (scripts/units-import.ts), as functions: the script reads its arguments and
// files, opens the database and prints what these return.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { migrateToLatest } from '../db/migrator';
import type { CommandResult } from '../auth/role-command';
import { importSeedUnitsIfEmpty, type UnitList } from './import';
import { importUnitList, UnitImportError, type UnitChange } from './list-import';

export const UNITS_IMPORT_USAGE = `Cách dùng:
  npm run units:import -- <tệp danh mục.csv> [--lineage <tệp kế thừa.csv>] [--retire-on YYYY-MM-DD] [--dry-run]
Tệp danh mục có các cột code,name,level,type,parent_code,valid_from,valid_to (như seed/units/*.csv).
--lineage: tệp old_code,new_code,kind (full hoặc partial) nối đơn vị cũ với đơn vị mới khi sáp nhập.
--retire-on: ngày kết thúc các đơn vị không còn trong tệp (mặc định: hôm nay).
--dry-run: chỉ in những gì sẽ thay đổi, không ghi gì.`;

export interface UnitsImportCommand {
	file: string;
	lineageFile?: string;
	retireOn: string;
	dryRun: boolean;
}

/** The command's arguments, `{ help: true }` for --help, or the message to stop with. */
export function parseUnitsImportCommand(args: string[], today: string): UnitsImportCommand | { help: true } | { error: string } {
	let file: string | undefined;
	let lineageFile: string | undefined;
	let retireOn = today;
	let dryRun = false;
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--lineage') lineageFile = args[++i];
		else if (a === '--retire-on') retireOn = args[++i] ?? '';
		else if (a === '--dry-run') dryRun = true;
		else if (a === '--help' || a === '-h') return { help: true };
		else if (a.startsWith('--')) return { error: `Không hiểu tùy chọn ${a}.\n${UNITS_IMPORT_USAGE}` };
		else if (!file) file = a;
		else return { error: `Chỉ nhận một tệp danh mục (thừa "${a}").\n${UNITS_IMPORT_USAGE}` };
	}
	if (!file) return { error: UNITS_IMPORT_USAGE };
	if (lineageFile === undefined && args.includes('--lineage')) return { error: `--lineage cần tên tệp.\n${UNITS_IMPORT_USAGE}` };
	return { file, lineageFile, retireOn, dryRun };
}

function group(title: string, items: UnitChange[]): string[] {
	const lines = [`${title}: ${items.length}`];
	for (const c of items.slice(0, 200)) lines.push(`  ${c.code}  ${c.name}${c.details?.length ? `  (${c.details.join('; ')})` : ''}`);
	if (items.length > 200) lines.push(`  ... và ${items.length - 200} đơn vị khác`);
	return lines;
}

/**
 * Imports a unit list (and a lineage file) into an open database, as the command does: migrations first, then the
 * shipped units as at the app's first start (so a list can refer to them), then the list in one transaction.
 * Returns what to print: what was added, changed and retired, or a bad file's problems with exit code 1.
 */
export async function runUnitsImport(
	db: Kysely<Database>,
	list: UnitList,
	opts: { lineage?: UnitList; retireOn: string; dryRun: boolean }
): Promise<CommandResult> {
	try {
		await migrateToLatest(db);
		await importSeedUnitsIfEmpty(db);
		const plan = await db.transaction().execute((trx) => importUnitList(trx, list, opts));
		const stdout = [opts.dryRun ? `Thử nhập ${list.name} (không ghi gì):` : `Đã nhập ${list.name}:`];
		stdout.push(...group('Thêm mới', plan.added), ...group('Thay đổi', plan.changed), ...group('Kết thúc', plan.retired));
		if (opts.lineage) stdout.push(`Quan hệ kế thừa trong ${opts.lineage.name}: ${plan.lineageRows} dòng`);
		for (const w of plan.warnings) stdout.push(`Lưu ý: ${w}`);
		if (!plan.added.length && !plan.changed.length && !plan.retired.length && !opts.lineage) stdout.push('Danh mục đã khớp với cơ sở dữ liệu: không có gì thay đổi.');
		return { code: 0, stdout, stderr: [] };
	} catch (e) {
		if (!(e instanceof UnitImportError)) return { code: 1, stdout: [], stderr: [(e as Error).message] };
		const stderr = [`Không nhập ${list.name}: tệp có ${e.problems.length} lỗi, không thay đổi gì.`];
		for (const p of e.problems.slice(0, 100)) stderr.push(`  ${p}`);
		if (e.problems.length > 100) stderr.push(`  ... và ${e.problems.length - 100} lỗi khác`);
		return { code: 1, stdout: [], stderr };
	}
}
