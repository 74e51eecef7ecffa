import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { AUDIENCE_LABELS } from '$lib/labels';
import { unitLabel } from '../units/search';
import {
	getChildUnits,
	getUnitFacts,
	planCounting,
	readBreakdown,
	readFigures,
	readWeekly,
	type CountingPlan,
	type Figure,
	type Slice,
	type Subject,
	type UnitFacts
} from './counting';
import { formatDay, isDay, todayInVietnam } from './period';
import { listCourseChoices, listProgrammes } from './programmes';
import { getPopulations, listTargetParts, listTargetsOfUnit, listTargetsOnUnits, parseSubject, populationFor, type Target } from './targets';
import type { StatKind } from './rollups';

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

/** Figures and goals of targets, read with one query per subject. */
export async function viewTargets(db: Db, targets: Target[], hostUnitId: number, options: SubjectOption[]): Promise<TargetView[]> {
	const units = await getUnitFacts(db, [...new Set(targets.map((t) => t.unitId))]);
	const pops = await getPopulations(db, [...units.keys()]);
	const plans = await Promise.all(targets.map((t) => planCounting(db, units.get(t.unitId)!, t.periodStart, t.periodEnd)));
	const figures: Figure[] = targets.map(() => ({ learners: 0, possible: 0 }));
	const bySubject = new Map<string, number[]>();
	targets.forEach((t, i) => {
		const k = `${t.kind}/${t.subjectId}/${t.audience}`;
		bySubject.set(k, [...(bySubject.get(k) ?? []), i]);
	});
	for (const idx of bySubject.values()) {
		const t = targets[idx[0]];
		const got = await readFigures(
			db,
			idx.map((i) => plans[i].slices),
			{ kind: t.kind, id: t.subjectId, audience: t.audience }
		);
		idx.forEach((i, j) => (figures[i] = got[j]));
	}
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
	return targets.map((t, i) => {
		const u = units.get(t.unitId)!;
		const goal = goalLearners(t, pops);
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
			learners: figures[i].learners,
			possible: figures[i].possible,
			share: goal ? figures[i].learners / goal : null,
			note: planNote(plans[i]),
			closed: t.closedAt !== null,
			hasParts: withParts.has(t.id)
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
export async function rankChildren(db: Db, unit: UnitFacts, subject: Subject, from: string, to: string, target: Target | null): Promise<ChildRow[]> {
	const children = await getChildUnits(db, unit.id);
	if (!children.length) return [];
	const plans = await Promise.all(children.map((c) => planCounting(db, c, from, to)));
	const figures = await readFigures(
		db,
		plans.map((p) => p.slices),
		subject
	);
	const pops = await getPopulations(
		db,
		children.map((c) => c.id)
	);
	const parts = target ? await listTargetParts(db, target.id) : [];
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

export function breakdownTable(rows: Awaited<ReturnType<typeof readBreakdown>>, options: SubjectOption[]): StatTable {
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
}

/** Everything the dashboard of a unit shows for the filters in the URL. */
export async function buildDashboard(
	db: Db,
	unitId: number,
	url: URL,
	linkOf: (unitId: number, query: string) => string
): Promise<Dashboard | undefined> {
	// Independent reads run side by side: on a PostgreSQL server each takes a connection of its own.
	const [facts, options, allTargets] = await Promise.all([
		getUnitFacts(db, [unitId]),
		listSubjectOptions(db),
		listTargetsOfUnit(db, unitId, { includeClosed: true })
	]);
	const unit = facts.get(unitId);
	if (!unit) return undefined;
	const { filters, subject, target } = readFilters(url, options, allTargets);
	const [views, plan] = await Promise.all([
		viewTargets(db, allTargets, unitId, options),
		subject ? planCounting(db, unit, filters.from, filters.to) : null
	]);
	const tables: StatTable[] = [targetsTable(views.filter((v) => !v.closed))];
	let headline: Dashboard['headline'] = null;
	let weeks: Dashboard['weeks'] = [];
	if (subject && plan) {
		const [[fig], children, weekly, breakdown] = await Promise.all([
			readFigures(db, [plan.slices], subject),
			rankChildren(db, unit, subject, filters.from, filters.to, target),
			readWeekly(db, plan.slices, subject, filters.from, filters.to),
			readBreakdown(db, plan.slices, subject.audience)
		]);
		headline = { ...fig, note: planNote(plan) };
		// One level down with the same course, audience and period (a target of this unit is not one of the child's).
		const query = `?${new URLSearchParams({ noi_dung: filters.subject, doi_tuong: filters.audience, tu: filters.from, den: filters.to })}`;
		if (children.length) tables.push(childrenTable(children, (id) => linkOf(id, query)));
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
		weeks
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
		const plans: Slice[][] = [];
		const notes: (string | null)[] = [];
		for (const d of districts) {
			const plan = await planCounting(db, d, filters.from, filters.to);
			plans.push(plan.slices);
			notes.push(planNote(plan));
		}
		const figures = await readFigures(db, plans, subject);
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
