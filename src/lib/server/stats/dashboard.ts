import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { AUDIENCE_LABELS } from '$lib/labels';
import { CHILD_ROWS_SHOWN } from '$lib/stats-view';
import { unitLabel } from '../units/search';
import {
	findSuccessorsOf,
	getUnitFacts,
	planWith,
	readFigures,
	readPageFigures,
	successorsFromRows,
	successorsJson,
	unitColumns,
	type BreakdownRow,
	type CountingPlan,
	type Figure,
	type FigureAsk,
	type Subject,
	type Successor,
	type SuccessorRows,
	type UnitFacts
} from './counting';
import { formatDay, isDay, todayInVietnam } from './period';
import { listCourseChoices, listProgrammes } from './programmes';
import { getPopulations, listTargetsOnUnits, parseSubject, populationFor, targetColumns, type Target } from './targets';
import type { StatKind } from './rollups';
import { precompiled } from '../db/prepared';

type Db = Kysely<Database> | Transaction<Database>;

// What an official's statistics pages show, built once for the page and for its CSV and XLSX exports, so that an
// export is exactly the table on the screen.

/** A table as shown and exported: header cells and rows of text or numbers. */
export interface StatTable {
	id: TableId;
	title: string;
	columns: string[];
	rows: (string | number)[][];
	/** The column that names the row (a row header), 0 when absent. */
	headColumn?: number;
	/** Per row, where the row's name links to (child units); not exported. */
	links?: (string | null)[];
}

export type TableId = 'chi-tieu' | 'don-vi' | 'tuan' | 'co-cau' | 'huyen-cu' | 'chi-tieu-huyen-cu' | 'qua-han';

export interface SubjectOption {
	value: string;
	label: string;
	kind: StatKind;
	id: number;
}

export interface Filters {
	subject: string;
	audience: string;
	from: string;
	to: string;
	target: string;
}

export interface TargetView {
	id: number;
	title: string;
	unitLabel: string;
	/** The target was set on a unit that no longer exists. */
	inherited: boolean;
	subjectLabel: string;
	audienceLabel: string;
	periodLabel: string;
	goalLabel: string;
	goalLearners: number | null;
	learners: number;
	possible: number;
	/** Share of the goal reached, 0..; null without a goal (no population entered). */
	share: number | null;
	note: string | null;
	closed: boolean;
	hasParts: boolean;
}

export function audienceLabel(a: string | null): string {
	if (a === null) return 'Mọi đối tượng';
	return AUDIENCE_LABELS[a] ?? 'Không rõ';
}

const nf = new Intl.NumberFormat('vi-VN');
const pf = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

export function formatNumber(n: number): string {
	return nf.format(n);
}

/** A share as a percent, "87,5 %"; an em dash for none. */
export function formatShare(s: number | null): string {
	return s === null ? '—' : `${pf.format(s * 100)} %`;
}

export async function listSubjectOptions(db: Db): Promise<SubjectOption[]> {
	const [courses, programmes] = await Promise.all([listCourseChoices(db), listProgrammes(db, { includeRetired: true })]);
	return [
		...courses.map((c) => ({ value: `course:${c.id}`, label: c.title, kind: 'course' as const, id: c.id })),
		...programmes.map((p) => ({ value: `programme:${p.id}`, label: `Chương trình: ${p.name}`, kind: 'programme' as const, id: p.id }))
	];
}

function subjectLabel(options: SubjectOption[], kind: StatKind, id: number): string {
	return options.find((o) => o.kind === kind && o.id === id)?.label ?? (kind === 'course' ? `Khóa học #${id}` : `Chương trình #${id}`);
}

/** "12/3 (+ tối đa 4)": the figure with what partial lineage may add. */
export function figureText(f: Figure): string {
	return f.possible ? `${formatNumber(f.learners)} (+ tối đa ${formatNumber(f.possible)})` : formatNumber(f.learners);
}

function planNote(plan: CountingPlan): string | null {
	if (!plan.endedOn) return null;
	const sure = plan.successors.filter((s) => s.certain).map((s) => s.name);
	const unsure = plan.successors.filter((s) => !s.certain).map((s) => s.name);
	const parts: string[] = [];
	if (sure.length) parts.push(`từ ${formatDay(plan.endedOn)} tính theo ${sure.join(', ')}`);
	if (unsure.length) parts.push(`${unsure.join(', ')} chỉ có một phần địa bàn cũ: người học ở đó tính vào phần "tối đa"`);
	if (!plan.successors.length) parts.push(`đơn vị không còn từ ${formatDay(plan.endedOn)}`);
	return parts.join('; ');
}

/** The number of learners a target asks for: its count, or its percent of the entered population. */
function goalLearners(t: Target, pops: Map<number, Map<string, number>>): number | null {
	if (t.goalKind === 'count') return t.goalCount;
	const pop = populationFor(pops.get(t.unitId), t.audience);
	return pop === null ? null : Math.ceil(((t.goalPercent ?? 0) * pop) / 100);
}

function goalText(t: Target, goal: number | null): string {
	if (t.goalKind === 'count') return `${formatNumber(t.goalCount ?? 0)} người`;
	const pct = `${pf.format(t.goalPercent ?? 0)} %`;
	return goal === null ? `${pct} (chưa nhập dân số)` : `${pct} = ${formatNumber(goal)} người`;
}

/** Figures and goals of targets, their figures read in one statement. */
export async function viewTargets(db: Db, targets: Target[], hostUnitId: number, options: SubjectOption[]): Promise<TargetView[]> {
	const units = await getUnitFacts(db, [...new Set(targets.map((t) => t.unitId))]);
	const pops = await getPopulations(db, [...units.keys()]);
	// What the ended units among them became, read once for all targets (as the dashboard's context does).
	const successors = await findSuccessorsOf(db, [...units.values()].filter((u) => u.validTo !== null).map((u) => u.id));
	const plans = targets.map((t) => planWith(units.get(t.unitId)!, t.periodStart, t.periodEnd, successors.get(t.unitId) ?? []));
	const { figures } = await readPageFigures(db, targetAsks(targets, plans));
	const withParts = new Set(
		targets.length
			? (
					await db
						.selectFrom('target')
						.select('parent_target_id')
						.where(
							'parent_target_id',
							'in',
							targets.map((t) => t.id)
						)
						.execute()
				).map((r) => r.parent_target_id)
			: []
	);
	return targetViewsOf(targets, hostUnitId, options, { units, pops, plans, figures, withParts });
}

/** What each target counts: its subject and audience over its plan (plans in the same order as the targets). */
export function targetAsks(targets: Target[], plans: CountingPlan[]): FigureAsk[] {
	return targets.map((t, i) => ({ slices: plans[i].slices, subject: { kind: t.kind, id: t.subjectId, audience: t.audience } }));
}

interface TargetFacts {
	units: Map<number, UnitFacts>;
	pops: Map<number, Map<string, number>>;
	plans: CountingPlan[];
	figures: Figure[];
	withParts: Set<number | null>;
}

function targetViewsOf(targets: Target[], hostUnitId: number, options: SubjectOption[], f: TargetFacts): TargetView[] {
	return targets.map((t, i) => {
		const u = f.units.get(t.unitId)!;
		const goal = goalLearners(t, f.pops);
		return {
			id: t.id,
			title: t.title,
			unitLabel: unitLabel({ type: u.type, name: u.name, valid_to: u.validTo }),
			inherited: t.unitId !== hostUnitId,
			subjectLabel: subjectLabel(options, t.kind, t.subjectId),
			audienceLabel: audienceLabel(t.audience),
			periodLabel: `${formatDay(t.periodStart)} – ${formatDay(t.periodEnd)}`,
			goalLabel: goalText(t, goal),
			goalLearners: goal,
			learners: f.figures[i].learners,
			possible: f.figures[i].possible,
			share: goal ? f.figures[i].learners / goal : null,
			note: planNote(f.plans[i]),
			closed: t.closedAt !== null,
			hasParts: f.withParts.has(t.id)
		};
	});
}

export function targetsTable(views: TargetView[]): StatTable {
	return {
		id: 'chi-tieu',
		title: 'Chỉ tiêu',
		columns: ['Chỉ tiêu', 'Đơn vị', 'Khóa học / chương trình', 'Đối tượng', 'Thời hạn', 'Cần đạt', 'Đã đạt (người)', 'Có thể thêm (*)', 'Tỉ lệ', 'Ghi chú'],
		rows: views.map((v) => [
			v.title,
			v.unitLabel,
			v.subjectLabel,
			v.audienceLabel,
			v.periodLabel,
			v.goalLabel,
			v.learners,
			v.possible,
			formatShare(v.share),
			[v.closed ? 'Đã đóng' : '', v.note ?? ''].filter(Boolean).join('; ')
		])
	};
}

/** Reads the filter form (GET) with defaults: the chosen target's subject, audience and period, else this year. */
export function readFilters(url: URL, options: SubjectOption[], targets: Target[], today = todayInVietnam()): { filters: Filters; subject: Subject | null; target: Target | null } {
	const p = (k: string) => (url.searchParams.get(k) ?? '').slice(0, 40);
	const chosenId = Number(p('chi_tieu'));
	const target = targets.find((t) => t.id === chosenId) ?? (p('chi_tieu') === '' && !p('noi_dung') ? (targets.find((t) => t.closedAt === null) ?? null) : null);
	let subjectValue = p('noi_dung');
	let audience = p('doi_tuong');
	let from = p('tu');
	let to = p('den');
	if (target) {
		subjectValue = `${target.kind}:${target.subjectId}`;
		audience = target.audience ?? '';
		from = target.periodStart;
		to = target.periodEnd;
	}
	if (!options.some((o) => o.value === subjectValue)) subjectValue = options[0]?.value ?? '';
	if (audience && !(audience in AUDIENCE_LABELS)) audience = '';
	if (!isDay(from)) from = `${today.slice(0, 4)}-01-01`;
	if (!isDay(to)) to = `${today.slice(0, 4)}-12-31`;
	if (to < from) [from, to] = [to, from];
	const parsed = parseSubject(subjectValue);
	return {
		filters: { subject: subjectValue, audience, from, to, target: target ? String(target.id) : '' },
		subject: parsed ? { kind: parsed.kind, id: parsed.id, audience: audience || null } : null,
		target
	};
}

export interface ChildRow {
	unit: UnitFacts;
	figure: Figure;
	goal: number | null;
	share: number | null;
	/** Share of the entered population, when any. */
	population: number | null;
}

/**
 * The units directly below, ranked by share of their goal (the part of the chosen target broken down onto them,
 * else the chosen share of their population), then by learners.
 */
function rankRows(children: UnitFacts[], figures: Figure[], pops: Map<number, Map<string, number>>, parts: Target[], subject: Subject, target: Target | null): ChildRow[] {
	const rows = children.map((c, i) => {
		const population = populationFor(pops.get(c.id), subject.audience);
		const part = parts.find((p) => p.unitId === c.id);
		let goal: number | null = null;
		if (part) goal = part.goalKind === 'count' ? part.goalCount : population === null ? null : Math.ceil(((part.goalPercent ?? 0) * population) / 100);
		else if (target?.goalKind === 'share' && population !== null) goal = Math.ceil(((target.goalPercent ?? 0) * population) / 100);
		else if (population !== null && !target) goal = population;
		return { unit: c, figure: figures[i], goal, share: goal ? figures[i].learners / goal : null, population };
	});
	return rows.sort(
		(a, b) =>
			(b.share ?? -1) - (a.share ?? -1) || b.figure.learners - a.figure.learners || a.unit.name.localeCompare(b.unit.name, 'vi')
	);
}

export function childrenTable(rows: ChildRow[], linkOf: (unitId: number) => string): StatTable {
	return {
		id: 'don-vi',
		title: 'Đơn vị trực thuộc',
		columns: ['Hạng', 'Đơn vị', 'Đã đạt (người)', 'Có thể thêm (*)', 'Cần đạt', 'Tỉ lệ'],
		rows: rows.map((r, i) => [
			i + 1,
			unitLabel({ type: r.unit.type, name: r.unit.name, valid_to: r.unit.validTo }) + (r.unit.retired ? ' (đã thôi dùng)' : ''),
			r.figure.learners,
			r.figure.possible,
			r.goal ?? '—',
			formatShare(r.share)
		]),
		headColumn: 1,
		links: rows.map((r) => linkOf(r.unit.id))
	};
}

export function weeklyTable(weeks: { week: string; learners: number; possible: number }[]): StatTable {
	return {
		id: 'tuan',
		title: 'Theo tuần',
		columns: ['Tuần bắt đầu', 'Người học mới đạt', 'Có thể thêm (*)'],
		rows: weeks.map((w) => [formatDay(w.week), w.learners, w.possible])
	};
}

export function breakdownTable(rows: BreakdownRow[], options: SubjectOption[]): StatTable {
	const sorted = [...rows].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'course' ? -1 : 1) || b.learners - a.learners);
	return {
		id: 'co-cau',
		title: 'Theo khóa học và đối tượng',
		columns: ['Khóa học / chương trình', 'Đối tượng', 'Đã đạt (người)', 'Có thể thêm (*)'],
		rows: sorted.map((r) => [subjectLabel(options, r.kind, r.subjectId), audienceLabel(r.audience || 'unknown'), r.learners, r.possible])
	};
}

export interface Dashboard {
	unit: { id: number; label: string; level: string; ended: string | null; parentId: number | null };
	filters: Filters;
	subjects: { value: string; label: string }[];
	targets: TargetView[];
	closedTargets: TargetView[];
	headline: (Figure & { note: string | null }) | null;
	tables: StatTable[];
	weeks: { week: string; learners: number; possible: number }[];
	/** The units directly below: how many there are, and whether the table shows them all (else the first ones). */
	children: { total: number; all: boolean };
}


/** What a unit's dashboard starts from, read in one statement (see readDashboardContext). */
interface DashboardContext {
	unit: UnitFacts;
	options: SubjectOption[];
	/** The unit's targets, open and closed (listTargetsOfUnit's order), and the parts they were broken down into. */
	targets: Target[];
	parts: Target[];
	targetUnits: Map<number, UnitFacts>;
	children: UnitFacts[];
	/** Populations of the unit, its children and the targets' units. */
	pops: Map<number, Map<string, number>>;
	successors: Map<number, Successor[]>;
}

type TargetJson = Omit<Target, 'createdAt' | 'closedAt'> & { createdAt: string; closedAt: string | null };

const targetOf = (t: TargetJson): Target => ({ ...t, createdAt: new Date(t.createdAt), closedAt: t.closedAt === null ? null : new Date(t.closedAt) });

const dashboardContext = precompiled('stats_dashboard_context', 1, (unitId: number) =>
	sql<{
		unit: UnitFacts | null;
		courses: [number, string][];
		programmes: [number, string][];
		targets: TargetJson[];
		parts: TargetJson[];
		children: UnitFacts[];
		target_units: UnitFacts[];
		pops: [number, string, number][];
		successors: SuccessorRows;
	}>`
		with t as (
			select ${targetColumns} from target t
			where t.unit_id = ${unitId}
				or t.unit_id in (select l.old_unit_id from unit_lineage l join unit o on o.id = l.old_unit_id
					where l.new_unit_id = ${unitId} and o.valid_to is not null)
		),
		ids as (select ${unitId}::int as id union select "unitId" from t union select u.id from unit u where u.parent_id = ${unitId})
		select
			(select row_to_json(x) from (select ${unitColumns} from unit u where u.id = ${unitId}) x) as unit,
			(select coalesce(json_agg(json_build_array(c.id, v.title) order by c.position, c.id), '[]'::json)
				from course c join course_version v on v.id = c.current_version_id where c.retired_at is null) as courses,
			(select coalesce(json_agg(json_build_array(p.id, p.name) order by p.retired_at is not null, p.name), '[]'::json) from programme p) as programmes,
			(select coalesce(json_agg(x order by x."closedAt" is not null, x."createdAt" desc, x.id desc), '[]'::json) from t x) as targets,
			(select coalesce(json_agg(x order by x.id), '[]'::json) from (select ${targetColumns} from target t where t.parent_target_id in (select id from t)) x) as parts,
			(select coalesce(json_agg(x order by x.name, x.id), '[]'::json) from (select ${unitColumns} from unit u where u.parent_id = ${unitId}) x) as children,
			(select coalesce(json_agg(x), '[]'::json) from (select ${unitColumns} from unit u where u.id in (select "unitId" from t)) x) as target_units,
			(select coalesce(json_agg(json_build_array(p.unit_id, p.audience, p.population)), '[]'::json)
				from unit_population p where p.unit_id in (select id from ids)) as pops,
			${successorsJson(sql`select id from ids`)} as successors`
);

/**
 * Everything a dashboard needs before its figures, in one statement: the unit, the courses and programmes to choose
 * from, the unit's targets (as listTargetsOfUnit) with their parts and units, the units directly below (as
 * getChildUnits), the populations entered for all of these, and what each of them that ended became. The statement
 * is compiled once (and prepared once per PostgreSQL connection): only the unit changes.
 */
async function readDashboardContext(db: Db, unitId: number): Promise<DashboardContext | undefined> {
	const { rows } = await dashboardContext.run(db, unitId);
	const r = rows[0];
	if (!r.unit) return undefined;
	const pops = new Map<number, Map<string, number>>();
	for (const [id, audience, population] of r.pops) {
		if (!pops.has(id)) pops.set(id, new Map());
		pops.get(id)!.set(audience, population);
	}
	return {
		unit: r.unit,
		options: [
			...r.courses.map(([id, title]) => ({ value: `course:${id}`, label: title, kind: 'course' as const, id })),
			...r.programmes.map(([id, name]) => ({ value: `programme:${id}`, label: `Chương trình: ${name}`, kind: 'programme' as const, id }))
		],
		targets: r.targets.map(targetOf),
		parts: r.parts.map(targetOf),
		targetUnits: new Map(r.target_units.map((u) => [u.id, u])),
		children: r.children,
		pops,
		successors: successorsFromRows(r.successors)
	};
}

/**
 * Everything the dashboard of a unit shows for the filters in the URL: two statements, the context
 * (readDashboardContext) and then every figure on the page (targets, headline, units below, weeks, breakdown).
 */
export async function buildDashboard(
	db: Db,
	unitId: number,
	url: URL,
	linkOf: (unitId: number, query: string) => string
): Promise<Dashboard | undefined> {
	const ctx = await readDashboardContext(db, unitId);
	if (!ctx) return undefined;
	const { unit, options, targets: allTargets } = ctx;
	const { filters, subject, target } = readFilters(url, options, allTargets);
	const planOf = (u: UnitFacts, from: string, to: string) => planWith(u, from, to, ctx.successors.get(u.id) ?? []);
	const targetPlans = allTargets.map((t) => planOf(ctx.targetUnits.get(t.unitId)!, t.periodStart, t.periodEnd));
	const plan = subject ? planOf(unit, filters.from, filters.to) : null;
	const childPlans = plan ? ctx.children.map((c) => planOf(c, filters.from, filters.to)) : [];
	const asks = targetAsks(allTargets, targetPlans);
	if (subject && plan) for (const p of [plan, ...childPlans]) asks.push({ slices: p.slices, subject });
	const read = await readPageFigures(
		db,
		asks,
		subject && plan
			? { weeks: { slices: plan.slices, subject, from: filters.from, to: filters.to }, breakdown: { slices: plan.slices, audience: subject.audience } }
			: {}
	);
	const targetFigures = read.figures.slice(0, allTargets.length);
	const unitFigures = subject && plan ? read.figures.slice(allTargets.length) : undefined;
	const weekly = read.weeks ?? undefined;
	const breakdown = read.breakdown ?? undefined;
	const views = targetViewsOf(allTargets, unitId, options, {
		units: ctx.targetUnits,
		pops: ctx.pops,
		plans: targetPlans,
		figures: targetFigures,
		withParts: new Set(ctx.parts.map((p) => p.parentTargetId))
	});
	const tables: StatTable[] = [targetsTable(views.filter((v) => !v.closed))];
	let headline: Dashboard['headline'] = null;
	let weeks: Dashboard['weeks'] = [];
	const all = url.searchParams.get('don_vi') === 'tat_ca';
	if (subject && plan && unitFigures && weekly && breakdown) {
		headline = { ...unitFigures[0], note: planNote(plan) };
		const parts = target ? ctx.parts.filter((p) => p.parentTargetId === target.id) : [];
		const children = rankRows(ctx.children, unitFigures.slice(1), ctx.pops, parts, subject, target);
		// One level down with the same course, audience and period (a target of this unit is not one of the child's).
		const query = `?${new URLSearchParams({ noi_dung: filters.subject, doi_tuong: filters.audience, tu: filters.from, den: filters.to })}`;
		if (children.length) tables.push(childrenTable(all ? children : children.slice(0, CHILD_ROWS_SHOWN), (id) => linkOf(id, query)));
		weeks = weekly;
		tables.push(weeklyTable(weeks));
		tables.push(breakdownTable(breakdown, options));
	}
	return {
		unit: { id: unit.id, label: unitLabel({ type: unit.type, name: unit.name, valid_to: unit.validTo }), level: unit.level, ended: unit.validTo, parentId: unit.parentId },
		filters,
		subjects: options.map((o) => ({ value: o.value, label: o.label })),
		targets: views.filter((v) => !v.closed),
		closedTargets: views.filter((v) => v.closed),
		headline,
		tables,
		weeks,
		children: { total: ctx.children.length, all: all || ctx.children.length <= CHILD_ROWS_SHOWN }
	};
}

/** The district-level units of before the 2025 reform that count under the unit (for a province: its 11 districts). */
export async function listFormerDistricts(db: Db, unitId: number): Promise<UnitFacts[]> {
	const { rows } = await sql<{ id: number }>`
		select u.id from unit_scope s join unit u on u.id = s.unit_id
		where s.ancestor_id = ${unitId} and u.level = 'district' and u.valid_to is not null
		order by u.name`.execute(db);
	const facts = await getUnitFacts(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => facts.get(r.id)!);
}

export interface FormerDistrictsView {
	unitLabel: string;
	filters: Filters;
	subjects: { value: string; label: string }[];
	tables: StatTable[];
	targets: TargetView[];
}

/**
 * The "former district" view: the district-level units of before July 2025 under the unit, each counted over the
 * filter's period (after the reform, through what their communes became), and the targets set on them before
 * 1 July 2025.
 */
export async function buildFormerDistricts(
	db: Db,
	unitId: number,
	url: URL,
	linkOf: (unitId: number, query: string) => string
): Promise<FormerDistrictsView> {
	const options = await listSubjectOptions(db);
	const unit = (await getUnitFacts(db, [unitId])).get(unitId)!;
	const districts = await listFormerDistricts(db, unitId);
	const targets = await listTargetsOnUnits(
		db,
		districts.map((d) => d.id),
		'2025-07-01'
	);
	const views = await viewTargets(db, targets, unitId, options);
	const { filters, subject } = readFilters(url, options, []);
	const tables: StatTable[] = [];
	if (subject && districts.length) {
		// What each district became, read once for all of them.
		const successors = await findSuccessorsOf(db, districts.map((d) => d.id));
		const counted = districts.map((d) => planWith(d, filters.from, filters.to, successors.get(d.id) ?? []));
		const notes = counted.map(planNote);
		const figures = await readFigures(db, counted.map((p) => p.slices), subject);
		const order = districts.map((_, i) => i).sort((a, b) => figures[b].learners - figures[a].learners);
		tables.push({
			id: 'huyen-cu',
			title: 'Huyện, thị xã, thành phố cũ (trước 01/07/2025)',
			columns: ['Đơn vị cũ', 'Đã đạt (người)', 'Có thể thêm (*)', 'Ghi chú'],
			rows: order.map((i) => [unitLabel({ type: districts[i].type, name: districts[i].name }), figures[i].learners, figures[i].possible, notes[i] ?? '']),
			links: order.map((i) => linkOf(districts[i].id, `?${new URLSearchParams({ noi_dung: filters.subject, doi_tuong: filters.audience, tu: filters.from, den: filters.to })}`))
		});
	}
	tables.push({ ...targetsTable(views), id: 'chi-tieu-huyen-cu', title: 'Chỉ tiêu đặt cho huyện cũ trước 01/07/2025' });
	return {
		unitLabel: unitLabel({ type: unit.type, name: unit.name, valid_to: unit.validTo }),
		filters,
		subjects: options.map((o) => ({ value: o.value, label: o.label })),
		tables,
		targets: views
	};
}
