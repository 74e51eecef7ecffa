import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { precompiled } from '../db/prepared';
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

export const unitColumns = sql<UnitFacts>`u.id, u.name, u.type, u.level, u.parent_id as "parentId",
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
	return (await findSuccessorsOf(db, [unit.id])).get(unit.id) ?? [];
}

/** The successors of each ended unit among `ids`, read at once (ids with none, or not ended, are absent). */
export async function findSuccessorsOf(db: Db, ids: number[]): Promise<Map<number, Successor[]>> {
	if (!ids.length) return new Map();
	const { rows } = await sql<{ s: SuccessorRows }>`select ${successorsJson(sql`select u.id from unit u where u.id in (${sql.join(ids)})`)} as s`.execute(db);
	return successorsFromRows(rows[0].s);
}

/** [ended unit, successor id, successor name, certain] in name order. */
export type SuccessorRows = [number, number, string, boolean][];

/**
 * A JSON expression: the successors of the ended units among those `idsQuery` (a query of one integer column)
 * selects, as SuccessorRows. See findSuccessors.
 */
export function successorsJson(idsQuery: RawBuilder<unknown>) {
	return sql<SuccessorRows>`(
		with ended as (select u.id, u.level from unit u where u.id in (${idsQuery}) and u.valid_to is not null),
		direct as (
			select e.id as of, n.id, n.name, l.kind, count(*) over (partition by e.id) as n_parts
			from ended e join unit_lineage l on l.old_unit_id = e.id join unit n on n.id = l.new_unit_id and n.level = e.level
		),
		-- A new unit is certainly inside the district when everything that flowed into it came from under the
		-- district, whether whole or split (the parts of a split commune of the district all lie in the district).
		below as (
			select e.id as of, n.id, n.name,
				not exists (
					select 1 from unit_lineage o
					where o.new_unit_id = n.id
						and not exists (select 1 from unit_scope s where s.ancestor_id = e.id and s.unit_id = o.old_unit_id and not s.partial)
				) as certain
			from ended e
			join unit c on c.parent_id = e.id
			join unit_lineage l on l.old_unit_id = c.id
			join unit n on n.id = l.new_unit_id and n.level = c.level
			where not exists (select 1 from direct d where d.of = e.id)
			group by e.id, n.id, n.name
		)
		select coalesce(json_agg(json_build_array(x.of, x.id, x.name, x.certain) order by x.of, x.name, x.id), '[]'::json)
		from (
			select d.of, d.id, d.name, (d.n_parts = 1 and d.kind = 'full') as certain from direct d
			union all
			select b.of, b.id, b.name, b.certain from below b
		) x
	)`;
}

export function successorsFromRows(rows: SuccessorRows): Map<number, Successor[]> {
	const out = new Map<number, Successor[]>();
	for (const [of, unitId, name, certain] of rows) {
		const list = out.get(of) ?? [];
		list.push({ unitId, name, certain });
		out.set(of, list);
	}
	return out;
}

/** How to count `unit` over the inclusive period [from, to]. */
export async function planCounting(db: Db, unit: UnitFacts, from: string, to: string): Promise<CountingPlan> {
	const ends = unit.validTo !== null && to >= unit.validTo;
	return planWith(unit, from, to, ends ? await findSuccessors(db, unit) : []);
}

/** planCounting with the unit's successors already read (findSuccessorsOf); they matter only for an ended unit. */
export function planWith(unit: UnitFacts, from: string, to: string, successors: Successor[]): CountingPlan {
	if (!unit.validTo || to < unit.validTo) return { slices: [{ unitId: unit.id, from, to, certain: true }], endedOn: null, successors: [] };
	const slices: Slice[] = [];
	if (from < unit.validTo) slices.push({ unitId: unit.id, from, to: addDays(unit.validTo, -1), certain: true });
	const after = from > unit.validTo ? from : unit.validTo;
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
	unitId: number;
	grain: 'day' | 'month';
	lo: string;
	hi: string;
	certain: boolean;
}

/** Period splits already made during one read, by "from/to": a page splits the same period for every unit below. */
type Splits = Map<string, ReturnType<typeof splitPeriod>>;

/** The slices as month and day parts (whole months read from stat_month, loose days from stat_day). */
function partsOf(slices: Slice[], splits: Splits): Part[] {
	const out: Part[] = [];
	for (const s of slices) {
		const k = `${s.from}/${s.to}`;
		let p = splits.get(k);
		if (!p) splits.set(k, (p = splitPeriod(s.from, s.to)));
		for (const [lo, hi] of p.days) out.push({ unitId: s.unitId, grain: 'day', lo, hi, certain: s.certain });
		if (p.months) out.push({ unitId: s.unitId, grain: 'month', lo: p.months[0], hi: p.months[1], certain: s.certain });
	}
	return out;
}

export interface WeekFigure extends Figure {
	/** Monday of the week. */
	week: string;
}

export interface BreakdownRow extends Figure {
	kind: StatKind;
	subjectId: number;
	audience: string;
}

/** One figure asked for: a subject over a unit's slices. */
export interface FigureAsk {
	slices: Slice[];
	subject: Subject;
}

/** Learners per week (Monday first) of one subject over slices, every week of [from, to] present, zeros included. */
export interface WeeksAsk {
	slices: Slice[];
	subject: Subject;
	from: string;
	to: string;
}

/** Learners per course or programme and audience over slices, of one audience or all (null). */
export interface BreakdownAsk {
	slices: Slice[];
	audience: string | null;
}

export interface PageFigures {
	/** A figure per ask, in order. */
	figures: Figure[];
	/** The weekly figures asked for, else null. */
	weeks: WeekFigure[] | null;
	/** The breakdown asked for, else null. */
	breakdown: BreakdownRow[] | null;
}

/** [week, sure, maybe] as the statement returns them. */
export type WeekRows = [string, number | null, number | null][];
/** [kind, subject id, audience, sure, maybe] as the statement returns them. */
export type BreakdownRows = [StatKind, number, string, number | null, number | null][];

/** The weeks of [from, to] (Mondays), each with the learners of the rows of that week, zeros where none. */
export function weeksFromRows(rows: WeekRows, from: string, to: string): WeekFigure[] {
	const weeks = new Map<string, WeekFigure>();
	for (let w = weekOf(from); w <= to; w = addDays(w, 7)) weeks.set(w, { week: w, learners: 0, possible: 0 });
	for (const [week, sure, maybe] of rows) {
		const w = weeks.get(week);
		if (!w) continue;
		w.learners += sure ?? 0;
		w.possible += maybe ?? 0;
	}
	return [...weeks.values()];
}

/** The rows (months and days apart) added up per subject and audience; those with no learner at all left out. */
export function breakdownFromRows(rows: BreakdownRows): BreakdownRow[] {
	const acc = new Map<string, BreakdownRow>();
	for (const [kind, subjectId, audience, sure, maybe] of rows) {
		const k = `${kind}/${subjectId}/${audience}`;
		const row = acc.get(k) ?? { kind, subjectId, audience, learners: 0, possible: 0 };
		row.learners += sure ?? 0;
		row.possible += maybe ?? 0;
		acc.set(k, row);
	}
	return [...acc.values()].filter((r) => r.learners || r.possible);
}

/**
 * Every statistics figure is read by this one statement of fixed text: figures of any subjects (targets, a unit and
 * the units below), weekly figures and a breakdown, with what varies passed as arrays. Compiled once, and on a
 * PostgreSQL server prepared once per connection: PostgreSQL parses and plans it once, not at every view.
 */
const pageFigures = precompiled(
	'stats_page_figures',
	22,
	(
		fKey: number[],
		fMonth: boolean[],
		fUnit: number[],
		fLo: string[],
		fHi: string[],
		fCertain: boolean[],
		fKind: string[],
		fSubject: number[],
		fAudience: (string | null)[],
		wUnit: number[],
		wLo: string[],
		wHi: string[],
		wCertain: boolean[],
		wKind: string,
		wSubject: number,
		wAudience: string | null,
		bMonth: boolean[],
		bUnit: number[],
		bLo: string[],
		bHi: string[],
		bCertain: boolean[],
		bAudience: string | null
	) => sql<{ figures: [number, number | null, number | null][]; weeks: WeekRows; breakdown: BreakdownRows }>`
		with f as (
			select * from unnest(${fKey}::int[], ${fMonth}::boolean[], ${fUnit}::int[], ${fLo}::date[], ${fHi}::date[], ${fCertain}::boolean[],
				${fKind}::text[], ${fSubject}::int[], ${fAudience}::text[]) as v(key, month, unit_id, lo, hi, certain, kind, subject_id, audience)
		),
		b as (
			select * from unnest(${bMonth}::boolean[], ${bUnit}::int[], ${bLo}::date[], ${bHi}::date[], ${bCertain}::boolean[]) as v(month, unit_id, lo, hi, certain)
		)
		select
			(select coalesce(json_agg(json_build_array(x.key, x.sure, x.maybe)), '[]'::json) from (
				select v.key, sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
					sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
				from f v join stat_month r on r.unit_id = v.unit_id and r.kind = v.kind and r.subject_id = v.subject_id
					and r.month between v.lo and v.hi and (v.audience is null or r.audience = v.audience)
				where v.month
				group by v.key
				union all
				select v.key, sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
					sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
				from f v join stat_day r on r.unit_id = v.unit_id and r.kind = v.kind and r.subject_id = v.subject_id
					and r.day between v.lo and v.hi and (v.audience is null or r.audience = v.audience)
				where not v.month
				group by v.key
			) x) as figures,
			(select coalesce(json_agg(json_build_array(x.week, x.sure, x.maybe)), '[]'::json) from (
				select date_trunc('week', r.day)::date as week,
					sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
					sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
				from unnest(${wUnit}::int[], ${wLo}::date[], ${wHi}::date[], ${wCertain}::boolean[]) as v(unit_id, lo, hi, certain)
				join stat_day r on r.unit_id = v.unit_id and r.kind = ${wKind}::text and r.subject_id = ${wSubject}::int
					and r.day between v.lo and v.hi and (${wAudience}::text is null or r.audience = ${wAudience}::text)
				group by 1
			) x) as weeks,
			(select coalesce(json_agg(json_build_array(x.kind, x.subject_id, x.audience, x.sure, x.maybe)), '[]'::json) from (
				select r.kind, r.subject_id, r.audience,
					sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
					sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
				from b v join stat_month r on r.unit_id = v.unit_id and r.month between v.lo and v.hi
					and (${bAudience}::text is null or r.audience = ${bAudience}::text)
				where v.month
				group by r.kind, r.subject_id, r.audience
				union all
				select r.kind, r.subject_id, r.audience,
					sum(r.learners) filter (where v.certain and not r.partial)::int as sure,
					sum(r.learners) filter (where not v.certain or r.partial)::int as maybe
				from b v join stat_day r on r.unit_id = v.unit_id and r.day between v.lo and v.hi
					and (${bAudience}::text is null or r.audience = ${bAudience}::text)
				where not v.month
				group by r.kind, r.subject_id, r.audience
			) x) as breakdown`
);

/**
 * Statistics figures in one statement (see pageFigures): a figure per ask, and, when asked, the weeks of one subject
 * over [from, to] and the breakdown by subject and audience, each over its own slices (the weeks read day rows only,
 * so that every day falls in its week; the figures and the breakdown read whole months from the month rows).
 */
export async function readPageFigures(db: Db, asks: FigureAsk[], also: { weeks?: WeeksAsk; breakdown?: BreakdownAsk } = {}): Promise<PageFigures> {
	const { weeks, breakdown } = also;
	if (!asks.length && !weeks && !breakdown) return { figures: [], weeks: null, breakdown: null };
	const splits: Splits = new Map();
	const f = { key: [] as number[], month: [] as boolean[], unit: [] as number[], lo: [] as string[], hi: [] as string[], certain: [] as boolean[], kind: [] as string[], subject: [] as number[], audience: [] as (string | null)[] };
	asks.forEach((a, i) => {
		for (const p of partsOf(a.slices, splits)) {
			f.key.push(i);
			f.month.push(p.grain === 'month');
			f.unit.push(p.unitId);
			f.lo.push(p.lo);
			f.hi.push(p.hi);
			f.certain.push(p.certain);
			f.kind.push(a.subject.kind);
			f.subject.push(a.subject.id);
			f.audience.push(a.subject.audience);
		}
	});
	const w = weeks?.slices ?? [];
	const b = breakdown ? partsOf(breakdown.slices, splits) : [];
	const { rows } = await pageFigures.run(
		db,
		f.key,
		f.month,
		f.unit,
		f.lo,
		f.hi,
		f.certain,
		f.kind,
		f.subject,
		f.audience,
		w.map((s) => s.unitId),
		w.map((s) => s.from),
		w.map((s) => s.to),
		w.map((s) => s.certain),
		weeks?.subject.kind ?? 'course',
		weeks?.subject.id ?? 0,
		weeks?.subject.audience ?? null,
		b.map((p) => p.grain === 'month'),
		b.map((p) => p.unitId),
		b.map((p) => p.lo),
		b.map((p) => p.hi),
		b.map((p) => p.certain),
		breakdown?.audience ?? null
	);
	const r = rows[0];
	const figures: Figure[] = asks.map(() => ({ learners: 0, possible: 0 }));
	for (const [key, sure, maybe] of r.figures) {
		figures[key].learners += sure ?? 0;
		figures[key].possible += maybe ?? 0;
	}
	return {
		figures,
		weeks: weeks ? weeksFromRows(r.weeks, weeks.from, weeks.to) : null,
		breakdown: breakdown ? breakdownFromRows(r.breakdown) : null
	};
}

/** Figures of many slice lists for one subject (see readPageFigures): a figure per index of `plans`. */
export async function readFigures(db: Db, plans: Slice[][], subject: Subject): Promise<Figure[]> {
	return (await readPageFigures(db, plans.map((slices) => ({ slices, subject })))).figures;
}
