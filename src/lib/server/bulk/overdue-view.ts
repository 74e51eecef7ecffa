import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { parseId } from '$lib/ids';
import { formatDueDate, vietnamDay } from '$lib/server/learning/due-date';
import { listOverdue, overdueTable } from './overdue';
import { listUnitAssignments } from './unit-assignments';

/**
 * The overdue list of a unit as the page and its CSV show it: filtered to one unit assignment with ?giao=ID (only
 * one set in the unit's scope counts), with the meeting header's caption.
 */
export async function buildOverdueView(db: Kysely<Database>, unit: { id: number; label: string }, url: URL) {
	const choices = await listUnitAssignments(db, unit.id);
	const wanted = parseId(url.searchParams.get('giao') ?? '');
	const chosen = choices.find((c) => c.id === wanted) ?? null;
	const rows = await listOverdue(db, { scopeUnitId: unit.id, unitAssignmentId: chosen?.id ?? null });
	const [y, m, d] = vietnamDay().split('-');
	const today = `${d}/${m}/${y}`;
	const what = chosen ? `${chosen.subject} (hạn ${formatDueDate(chosen.dueAt)})` : 'mọi khóa học được giao';
	return {
		choices: choices.map((c) => ({ id: c.id, label: `${c.subject}, hạn ${formatDueDate(c.dueAt)}${c.unitId === unit.id ? '' : ` (${c.unitLabel})`}` })),
		chosen: chosen?.id ?? null,
		today,
		what,
		table: overdueTable(rows),
		caption: `Danh sách quá hạn: ${unit.label}; ${what}; ngày ${today}`
	};
}
