import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { writeAudit } from '../audit';
import { AUDIENCES } from '../auth/user';
import { isDay } from './period';
import type { StatKind } from './rollups';

type Db = Kysely<Database> | Transaction<Database>;

// Training targets (chỉ tiêu): a unit x a course or programme x an audience (or all) x a period -> a number of
// distinct learners, or a share of the population the officials entered for the unit and audience.

export interface Target {
	id: number;
	unitId: number;
	title: string;
	kind: StatKind;
	subjectId: number;
	audience: string | null;
	periodStart: string;
	periodEnd: string;
	goalKind: 'count' | 'share';
	goalCount: number | null;
	goalPercent: number | null;
	parentTargetId: number | null;
	createdAt: Date;
	closedAt: Date | null;
}

export const targetColumns = sql<Target>`t.id, t.unit_id as "unitId", t.title,
	case when t.course_id is not null then 'course' else 'programme' end as kind,
	coalesce(t.course_id, t.programme_id) as "subjectId", t.audience,
	to_char(t.period_start, 'YYYY-MM-DD') as "periodStart", to_char(t.period_end, 'YYYY-MM-DD') as "periodEnd",
	t.goal_kind as "goalKind", t.goal_count as "goalCount", t.goal_percent as "goalPercent",
	t.parent_target_id as "parentTargetId", t.created_at as "createdAt", t.closed_at as "closedAt"`;

export async function getTarget(db: Db, id: number): Promise<Target | undefined> {
	const { rows } = await sql<Target>`select ${targetColumns} from target t where t.id = ${id}`.execute(db);
	return rows[0];
}

/**
 * Targets shown on a unit's page: those set on the unit, and those set on units that no longer exist and went
 * into it (a merged commune's targets keep counting under the unit it became). Open ones first, newest first.
 */
export async function listTargetsOfUnit(db: Db, unitId: number, opts: { includeClosed?: boolean } = {}): Promise<Target[]> {
	const { rows } = await sql<Target>`
		select ${targetColumns} from target t
		where (t.unit_id = ${unitId}
			or t.unit_id in (select l.old_unit_id from unit_lineage l join unit o on o.id = l.old_unit_id
				where l.new_unit_id = ${unitId} and o.valid_to is not null))
			${opts.includeClosed ? sql`` : sql`and t.closed_at is null`}
		order by t.closed_at is not null, t.created_at desc, t.id desc`.execute(db);
	return rows;
}

/** The parts of a target broken down onto child units. */
export async function listTargetParts(db: Db, targetId: number): Promise<Target[]> {
	const { rows } = await sql<Target>`select ${targetColumns} from target t where t.parent_target_id = ${targetId} order by t.id`.execute(db);
	return rows;
}

/** Targets set on the given units (the former districts), open or closed, created before a day. */
export async function listTargetsOnUnits(db: Db, unitIds: number[], createdBefore?: string): Promise<Target[]> {
	if (!unitIds.length) return [];
	const { rows } = await sql<Target>`
		select ${targetColumns} from target t where t.unit_id in (${sql.join(unitIds)})
		${createdBefore ? sql`and t.created_at < (${createdBefore}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')` : sql``}
		order by t.unit_id, t.created_at, t.id`.execute(db);
	return rows;
}

/** What an official typed in the target form, as text. */
export interface TargetForm {
	title: string;
	subject: string;
	audience: string;
	periodStart: string;
	periodEnd: string;
	goalKind: string;
	goalCount: string;
	goalPercent: string;
}

export interface TargetValues {
	title: string;
	kind: StatKind;
	subjectId: number;
	audience: string | null;
	periodStart: string;
	periodEnd: string;
	goalKind: 'count' | 'share';
	goalCount: number | null;
	goalPercent: number | null;
}

export type TargetCheck = { ok: true; value: TargetValues } | { ok: false; field: keyof TargetForm; message: string };

/** Parses "course:12" / "programme:3" as the subject select sends it. */
export function parseSubject(s: string): { kind: StatKind; id: number } | null {
	const m = /^(course|programme):([1-9][0-9]{0,9})$/.exec(s);
	return m ? { kind: m[1] as StatKind, id: Number(m[2]) } : null;
}

function parseWhole(s: string): number | null {
	const t = s.trim().replace(/[.\s]/g, '');
	return /^[0-9]{1,9}$/.test(t) ? Number(t) : null;
}

function parsePercent(s: string): number | null {
	const t = s.trim().replace(',', '.').replace(/%$/, '').trim();
	return /^[0-9]{1,3}(\.[0-9]{1,2})?$/.test(t) ? Number(t) : null;
}

/** Checks the form against the catalogue; returns the values or the first problem, in Vietnamese. */
export async function checkTargetForm(db: Db, f: TargetForm): Promise<TargetCheck> {
	const subject = parseSubject(f.subject);
	if (!subject) return { ok: false, field: 'subject', message: 'Hãy chọn khóa học hoặc chương trình cần đạt.' };
	const exists =
		subject.kind === 'course'
			? await db.selectFrom('course').select('id').where('id', '=', subject.id).executeTakeFirst()
			: await db.selectFrom('programme').select('id').where('id', '=', subject.id).executeTakeFirst();
	if (!exists) return { ok: false, field: 'subject', message: 'Khóa học hoặc chương trình này không còn. Hãy chọn lại.' };
	const audience = f.audience === '' ? null : f.audience;
	if (audience !== null && !(AUDIENCES as string[]).includes(audience)) return { ok: false, field: 'audience', message: 'Hãy chọn đối tượng.' };
	if (!isDay(f.periodStart)) return { ok: false, field: 'periodStart', message: 'Ngày bắt đầu chưa đúng. Hãy chọn một ngày.' };
	if (!isDay(f.periodEnd)) return { ok: false, field: 'periodEnd', message: 'Ngày kết thúc chưa đúng. Hãy chọn một ngày.' };
	if (f.periodEnd < f.periodStart) return { ok: false, field: 'periodEnd', message: 'Ngày kết thúc phải sau ngày bắt đầu.' };
	if (f.periodStart < '2000-01-01' || f.periodEnd > '2100-12-31') return { ok: false, field: 'periodEnd', message: 'Thời hạn nằm ngoài khoảng cho phép.' };
	let goalCount: number | null = null;
	let goalPercent: number | null = null;
	if (f.goalKind === 'count') {
		goalCount = parseWhole(f.goalCount);
		if (!goalCount) return { ok: false, field: 'goalCount', message: 'Hãy nhập số người học cần đạt, một số nguyên lớn hơn 0.' };
	} else if (f.goalKind === 'share') {
		goalPercent = parsePercent(f.goalPercent);
		if (!goalPercent || goalPercent > 100) return { ok: false, field: 'goalPercent', message: 'Hãy nhập tỉ lệ cần đạt, từ 0,01 đến 100 (%).' };
	} else return { ok: false, field: 'goalKind', message: 'Hãy chọn cách tính chỉ tiêu: số người hoặc tỉ lệ.' };
	const title = f.title.trim().replace(/\s+/g, ' ');
	if (title.length > 160) return { ok: false, field: 'title', message: 'Tên chỉ tiêu dài quá 160 ký tự.' };
	return {
		ok: true,
		value: { title, kind: subject.kind, subjectId: subject.id, audience, periodStart: f.periodStart, periodEnd: f.periodEnd, goalKind: f.goalKind, goalCount, goalPercent }
	};
}

function columnsOf(v: TargetValues) {
	return {
		course_id: v.kind === 'course' ? v.subjectId : null,
		programme_id: v.kind === 'programme' ? v.subjectId : null,
		audience: v.audience,
		period_start: v.periodStart,
		period_end: v.periodEnd,
		goal_kind: v.goalKind,
		goal_count: v.goalCount,
		goal_percent: v.goalPercent
	};
}

/** Creates a target on the unit (the caller checked the official's scope) and audits it. */
export async function createTarget(db: Kysely<Database>, unitId: number, v: TargetValues, actorUserId: number, defaultTitle: string): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const { id } = await trx
			.insertInto('target')
			.values({ unit_id: unitId, title: v.title || defaultTitle, created_by: actorUserId, ...columnsOf(v) })
			.returning('id')
			.executeTakeFirstOrThrow();
		await writeAudit(trx, { actorUserId, action: 'target.create', unitId, details: { targetId: id, ...v, title: v.title || defaultTitle } });
		return id;
	});
}

/**
 * Changes a target and the parts broken down from it (same subject, audience and period; their own goals stay).
 * Audits the values before and after.
 */
export async function updateTarget(db: Kysely<Database>, t: Target, v: TargetValues, actorUserId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const cols = columnsOf(v);
		await trx
			.updateTable('target')
			.set({ ...cols, title: v.title || t.title, updated_at: sql`now()` })
			.where('id', '=', t.id)
			.execute();
		const { goal_kind: _k, goal_count: _c, goal_percent: _p, ...shared } = cols;
		await trx.updateTable('target').set({ ...shared, updated_at: sql`now()` }).where('parent_target_id', '=', t.id).execute();
		const before = { title: t.title, kind: t.kind, subjectId: t.subjectId, audience: t.audience, periodStart: t.periodStart, periodEnd: t.periodEnd, goalKind: t.goalKind, goalCount: t.goalCount, goalPercent: t.goalPercent };
		await writeAudit(trx, { actorUserId, action: 'target.update', unitId: t.unitId, details: { targetId: t.id, before, after: { ...v, title: v.title || t.title } } });
	});
}

/** Closes (or reopens) a target and its parts; a closed target keeps its figures and is listed apart. */
export async function setTargetClosed(db: Kysely<Database>, t: Target, closed: boolean, actorUserId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('target')
			.set({ closed_at: closed ? sql`now()` : null, updated_at: sql`now()` })
			.where((eb) => eb.or([eb('id', '=', t.id), eb('parent_target_id', '=', t.id)]))
			.execute();
		await writeAudit(trx, { actorUserId, action: closed ? 'target.close' : 'target.reopen', unitId: t.unitId, details: { targetId: t.id } });
	});
}

/**
 * Sets the parts of a target on child units: a goal per child (null removes that child's part). The parent's
 * subject, audience and period carry over; the goal is a count or a percent as the parent's is.
 */
export async function setTargetParts(
	db: Kysely<Database>,
	t: Target,
	goals: { unitId: number; goal: number | null }[],
	actorUserId: number
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const existing = await listTargetParts(trx, t.id);
		const changes: Record<string, unknown>[] = [];
		for (const g of goals) {
			const part = existing.find((p) => p.unitId === g.unitId);
			const goal = t.goalKind === 'count' ? { goal_count: g.goal, goal_percent: null } : { goal_count: null, goal_percent: g.goal };
			if (g.goal === null) {
				if (part) {
					await trx.deleteFrom('target').where('id', '=', part.id).execute();
					changes.push({ unitId: g.unitId, before: part.goalCount ?? part.goalPercent, after: null });
				}
			} else if (part) {
				const before = part.goalCount ?? part.goalPercent;
				if (before !== g.goal) {
					await trx.updateTable('target').set({ ...goal, updated_at: sql`now()` }).where('id', '=', part.id).execute();
					changes.push({ unitId: g.unitId, before, after: g.goal });
				}
			} else {
				await trx
					.insertInto('target')
					.values({
						unit_id: g.unitId,
						title: t.title,
						course_id: t.kind === 'course' ? t.subjectId : null,
						programme_id: t.kind === 'programme' ? t.subjectId : null,
						audience: t.audience,
						period_start: t.periodStart,
						period_end: t.periodEnd,
						goal_kind: t.goalKind,
						...goal,
						parent_target_id: t.id,
						created_by: actorUserId,
						closed_at: t.closedAt
					})
					.execute();
				changes.push({ unitId: g.unitId, before: null, after: g.goal });
			}
		}
		if (changes.length) await writeAudit(trx, { actorUserId, action: 'target.breakdown', unitId: t.unitId, details: { targetId: t.id, changes } });
	});
}

/** Populations entered per unit and audience, for the given units. */
export async function getPopulations(db: Db, unitIds: number[]): Promise<Map<number, Map<string, number>>> {
	const out = new Map<number, Map<string, number>>();
	if (!unitIds.length) return out;
	const rows = await db.selectFrom('unit_population').select(['unit_id', 'audience', 'population']).where('unit_id', 'in', unitIds).execute();
	for (const r of rows) {
		if (!out.has(r.unit_id)) out.set(r.unit_id, new Map());
		out.get(r.unit_id)!.set(r.audience, r.population);
	}
	return out;
}

/** The population a share is taken of: one audience's, or every entered audience's for "all"; null when none entered. */
export function populationFor(pops: Map<string, number> | undefined, audience: string | null): number | null {
	if (!pops) return null;
	if (audience !== null) return pops.get(audience) ?? null;
	if (!pops.size) return null;
	return [...pops.values()].reduce((a, b) => a + b, 0);
}

/** Sets (or with null clears) populations of a unit per audience, audited. */
export async function setPopulations(db: Kysely<Database>, unitId: number, values: Record<string, number | null>, actorUserId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const before = (await getPopulations(trx, [unitId])).get(unitId) ?? new Map<string, number>();
		const changes: Record<string, unknown> = {};
		for (const audience of AUDIENCES) {
			if (!(audience in values)) continue;
			const v = values[audience];
			const old = before.get(audience) ?? null;
			if (v === old) continue;
			if (v === null) await trx.deleteFrom('unit_population').where('unit_id', '=', unitId).where('audience', '=', audience).execute();
			else
				await trx
					.insertInto('unit_population')
					.values({ unit_id: unitId, audience, population: v, updated_by: actorUserId })
					.onConflict((oc) => oc.columns(['unit_id', 'audience']).doUpdateSet({ population: v, updated_by: actorUserId, updated_at: sql`now()` }))
					.execute();
			changes[audience] = { before: old, after: v };
		}
		if (Object.keys(changes).length) await writeAudit(trx, { actorUserId, action: 'population.set', unitId, details: changes });
	});
}

/** Reads a whole number typed for a population or a goal ("1.200" and "1200" alike); '' is null; undefined when bad. */
export function readWholeNumber(s: string): number | null | undefined {
	if (!s.trim()) return null;
	return parseWhole(s) ?? undefined;
}

export { parsePercent };
