import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { addDays, splitPeriod, weekOf } from './period';
import type { StatKind } from './rollups';

type Db = Kysely<Database> | Transaction<Database>;

// How a figure is counted: the learners counted under a unit (stat_day / stat_month rows of that reporting unit)
// over a period. A unit that no longer exists (merged, or a district abolished in 2025) keeps counting after its
// last day under what it became: the one unit it went into entirely, or for a district the communes its communes
// became. Where that is not certain (a split, or a new unit that also took in land from elsewhere), those learners
// are shown apart as "up to", never added to the figure.

/** A part of a figure: the counts of one reporting unit over an inclusive range of days. */
export interface Slice {
	unitId: number;
	from: string;
	to: string;
	/** False: everything here is only possibly inside the unit asked about (shown as "up to", not in the figure). */
	certain: boolean;
}

export interface Successor {
	unitId: number;
	name: string;
	certain: boolean;
}

export interface CountingPlan {
	slices: Slice[];
	/** The first day the unit no longer existed, when inside the period. */
	endedOn: string | null;
	/** What the unit's counts continue under from endedOn. */
	successors: Successor[];
}

export interface UnitFacts {
	id: number;
	name: string;
	type: string;
	level: string;
	parentId: number | null;
	/** The first day the unit no longer existed in this form, YYYY-MM-DD, or null. */
	validTo: string | null;
	retired: boolean;
}

const unitColumns = sql<UnitFacts>`u.id, u.name, u.type, u.level, u.parent_id as "parentId",
	to_char(u.valid_to, 'YYYY-MM-DD') as "validTo", (u.retired_at is not null) as retired`;

export async function getUnitFacts(db: Db, ids: number[]): Promise<Map<number, UnitFacts>> {
	if (!ids.length) return new Map();
	const { rows } = await sql<UnitFacts>`select ${unitColumns} from unit u where u.id in (${sql.join(ids)})`.execute(db);
	return new Map(rows.map((r) => [r.id, r]));
}

/** The units directly below, in name order (retired hamlets included: their learners still count). */
export async function getChildUnits(db: Db, unitId: number): Promise<UnitFacts[]> {
	const { rows } = await sql<UnitFacts>`select ${unitColumns} from unit u where u.parent_id = ${unitId} order by u.name, u.id`.execute(db);
	return rows;
}

/**
 * What a unit that ended became. A unit with lineage to units of its own level continues in the one unit it went
 * into entirely (certain); a split continues in each part (not certain). A unit without such lineage (a district,
 * whose level was abolished) continues in what its child units became; such a unit is certain only when everything
 * that flowed into it came from under the district.
 */
export async function findSuccessors(db: Db, unit: UnitFacts): Promise<Successor[]> {
	const { rows: direct } = await sql<{ id: number; name: string; kind: string }>`
		select n.id, n.name, l.kind from unit_lineage l join unit n on n.id = l.new_unit_id
		where l.old_unit_id = ${unit.id} and n.level = ${unit.level}
		order by n.name`.execute(db);
	if (direct.length) {
		const whole = direct.length === 1 && direct[0].kind === 'full';
		return direct.map((d) => ({ unitId: d.id, name: d.name, certain: whole }));
	}
	// A new unit is certainly inside the district when everything that flowed into it came from under the district,
	// whether whole or split (the parts of a split commune of the district all lie in the district).
	const { rows } = await sql<Successor>`
		select n.id as "unitId", n.name,
			not exists (
				select 1 from unit_lineage o
				where o.new_unit_id = n.id
					and not exists (select 1 from unit_scope s where s.ancestor_id = ${unit.id} and s.unit_id = o.old_unit_id and not s.partial)
			) as certain
		from unit c
		join unit_lineage l on l.old_unit_id = c.id
		join unit n on n.id = l.new_unit_id and n.level = c.level
		where c.parent_id = ${unit.id}
		group by n.id, n.name
		order by n.name`.execute(db);
	return rows;
}

/** How to count `unit` over the inclusive period [from, to]. */
export async function planCounting(db: Db, unit: UnitFacts, from: string, to: string): Promise<CountingPlan> {
	if (!unit.validTo || to < unit.validTo) return { slices: [{ unitId: unit.id, from, to, certain: true }], endedOn: null, successors: [] };
	const slices: Slice[] = [];
	if (from < unit.validTo) slices.push({ unitId: unit.id, from, to: addDays(unit.validTo, -1), certain: true });
	const after = from > unit.validTo ? from : unit.validTo;
	const successors = await findSuccessors(db, unit);
	for (const s of successors) slices.push({ unitId: s.unitId, from: after, to, certain: s.certain });
	return { slices, endedOn: unit.validTo, successors };
}

/** What is counted: a course or a programme, one audience or all (null). */
export interface Subject {
	kind: StatKind;
	id: number;
	audience: string | null;
}

export interface Figure {
	/** Distinct learners certainly inside the unit. */
	learners: number;
	/** Learners who may be inside the unit (partial lineage), not part of `learners`. */
	possible: number;
}

interface Part {
	key: number;
	unitId: number;
	grain: 'day' | 'month';
	lo: string;
	hi: string;
	certain: boolean;
}

function partsOf(key: number, slices: Slice[]): Part[] {
	const out: Part[] = [];
	for (const s of slices) {
		const p = splitPeriod(s.from, s.to);
		for (const [lo, hi] of p.days) out.push({ key, unitId: s.unitId, grain: 'day', lo, hi, certain: s.certain });
		if (p.months) out.push({ key, unitId: s.unitId, grain: 'month', lo: p.months[0], hi: p.months[1], certain: s.certain });
	}
	return out;
}

function valuesOf(parts: Part[]) {
	return sql.join(parts.map((p) => sql`(${p.key}::int, ${p.unitId}::int, ${p.lo}::date, ${p.hi}::date, ${p.certain}::boolean)`));
}

/**
 * Figures of many slice lists at once, for one subject: one query over the month rows and one over the day rows.
 * Returns a figure per index of `plans`.
 */
export async function readFigures(db: Db, plans: Slice[][], subject: Subject): Promise<Figure[]> {
	const out: Figure[] = plans.map(() => ({ learners: 0, possible: 0 }));
	const parts = plans.flatMap((slices, i) => partsOf(i, slices));
	for (const grain of ['month', 'day'] as const) {
		const mine = parts.filter((p) => p.grain === grain);
		if (!mine.length) continue;
		const table = grain === 'day' ? 'stat_day' : 'stat_month';
		const { rows } = await sql<{ key: number; sure: number | null; maybe: number | null }>`
			select v.key, sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
				sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
			from (values ${valuesOf(mine)}) as v(key, unit_id, lo, hi, certain)
			join ${sql.table(table)} r on r.unit_id = v.unit_id and r.kind = ${subject.kind} and r.subject_id = ${subject.id}
				and r.${sql.ref(grain)} between v.lo and v.hi
				${subject.audience === null ? sql`` : sql`and r.audience = ${subject.audience}`}
			group by v.key`.execute(db);
		for (const r of rows) {
			out[r.key].learners += r.sure ?? 0;
			out[r.key].possible += r.maybe ?? 0;
		}
	}
	return out;
}

export interface WeekFigure extends Figure {
	/** Monday of the week. */
	week: string;
}

/** Learners per week (Monday first) over the plan's slices, every week of [from, to] present, zeros included. */
export async function readWeekly(db: Db, slices: Slice[], subject: Subject, from: string, to: string): Promise<WeekFigure[]> {
	const weeks = new Map<string, WeekFigure>();
	for (let w = weekOf(from); w <= to; w = addDays(w, 7)) weeks.set(w, { week: w, learners: 0, possible: 0 });
	const parts: Part[] = slices.map((s) => ({ key: 0, unitId: s.unitId, grain: 'day', lo: s.from, hi: s.to, certain: s.certain }));
	if (parts.length) {
		const { rows } = await sql<{ week: string; sure: number | null; maybe: number | null }>`
			select to_char(date_trunc('week', r.day), 'YYYY-MM-DD') as week,
				sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
				sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
			from (values ${valuesOf(parts)}) as v(key, unit_id, lo, hi, certain)
			join stat_day r on r.unit_id = v.unit_id and r.kind = ${subject.kind} and r.subject_id = ${subject.id}
				and r.day between v.lo and v.hi
				${subject.audience === null ? sql`` : sql`and r.audience = ${subject.audience}`}
			group by 1`.execute(db);
		for (const r of rows) {
			const w = weeks.get(r.week);
			if (!w) continue;
			w.learners += r.sure ?? 0;
			w.possible += r.maybe ?? 0;
		}
	}
	return [...weeks.values()];
}

export interface BreakdownRow extends Figure {
	kind: StatKind;
	subjectId: number;
	audience: string;
}

/** Learners per course or programme and audience over the plan's slices. */
export async function readBreakdown(db: Db, slices: Slice[], audience: string | null): Promise<BreakdownRow[]> {
	const parts = partsOf(0, slices);
	const acc = new Map<string, BreakdownRow>();
	for (const grain of ['month', 'day'] as const) {
		const mine = parts.filter((p) => p.grain === grain);
		if (!mine.length) continue;
		const table = grain === 'day' ? 'stat_day' : 'stat_month';
		const { rows } = await sql<{ kind: StatKind; subject_id: number; audience: string; sure: number | null; maybe: number | null }>`
			select r.kind, r.subject_id, r.audience,
				sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
				sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
			from (values ${valuesOf(mine)}) as v(key, unit_id, lo, hi, certain)
			join ${sql.table(table)} r on r.unit_id = v.unit_id and r.${sql.ref(grain)} between v.lo and v.hi
				${audience === null ? sql`` : sql`and r.audience = ${audience}`}
			group by r.kind, r.subject_id, r.audience`.execute(db);
		for (const r of rows) {
			const k = `${r.kind}/${r.subject_id}/${r.audience}`;
			const row = acc.get(k) ?? { kind: r.kind, subjectId: r.subject_id, audience: r.audience, learners: 0, possible: 0 };
			row.learners += r.sure ?? 0;
			row.possible += r.maybe ?? 0;
			acc.set(k, row);
		}
	}
	return [...acc.values()].filter((r) => r.learners || r.possible);
}
