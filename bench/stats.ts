// `npm run bench:stats`: officials' dashboards on a synthetic province, on a database of the local PostgreSQL
// server made for the run and dropped afterwards.
//
// Builds, with set-based SQL: the seed units (Bình Định 2022, Gia Lai 2025, lineage), ~1,100 hamlets under the
// 58 communes of the Bình Định area, 1.5 million learners in them, 3 million records over 18 months (July 2024 to
// December 2025, across the 2025 merger: before it records carry a hamlet or the old commune, after it a hamlet or
// the new commune), some revoked; a programme and targets. Rollups are built by the app's rebuild, then a few
// hundred records are issued and revoked through the app's own counting functions.
//
// Times, through HTTP against the built app (logged in as an administrator): the province dashboard as it opens
// (its child-unit table shows the first units), a drill-down to one commune, and the CSV export of the province's
// whole child-unit table (?don_vi=tat_ca, all 135 units) (p50, p95). Times the same figures computed
// by plain GROUP BY queries over completion_record, checks that both agree exactly, and ends with one JSON line.
//
// Settings (environment): BENCH_LEARNERS (1500000), BENCH_RECORDS (3000000), BENCH_RUNS (200), BENCH_PLAIN_RUNS (5),
// TEST_DATABASE_URL (server to use), BENCH_KEEP=1 (keep the database), BENCH_REUSE=<database> (measure again on a
// database kept from an earlier run: no generation, and that database is kept), BENCH_PROFILE=<dir> (CPU profile of
// the app process), HOCSO_CONTENT_DIR (the courses the bench and the app under test publish; content/ by default),
// BENCH_WARMUP_VIEWS (50: untimed views of each page first), BENCH_CLIENT (http, or fetch: what times the pages).
//
// The courses counted are the first six of the content, published the way the app publishes them; the app under
// test starts on the same content, so it finds nothing to publish or retire, and a kept database measures the same
// courses again.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { connectDatabase } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { importSeedUnitsIfEmpty } from '../src/lib/server/units/import';
import { rebuildUnitScope } from '../src/lib/server/units/scope';
import { compareRollupsWithRecount, countIssuedRecord, rebuildRollups, STATS_TIME_ZONE, uncountRevokedRecord } from '../src/lib/server/stats/rollups';
import { buildDashboard, type Dashboard } from '../src/lib/server/stats/dashboard';
import { createProgramme } from '../src/lib/server/stats/programmes';
import { createTarget } from '../src/lib/server/stats/targets';
import { getChildUnits, getUnitFacts, planCounting, type Slice } from '../src/lib/server/stats/counting';
import { generateSessionToken, sessionIdOf } from '../src/lib/server/auth/session';
import { loadContent } from '../src/lib/server/content/loader';
import { publishContent } from '../src/lib/server/content/publication';
import { formatProblem } from '../src/lib/server/content/problems';
import { buildIfNeeded, pageClient, startServer } from './support.js';

const LEARNERS = Number(process.env.BENCH_LEARNERS || 1_500_000);
const RECORDS = Number(process.env.BENCH_RECORDS || 3_000_000);
// 200 views of each page: a 95th percentile of 40 views was the second slowest view, one stray view from the figure.
const RUNS = Number(process.env.BENCH_RUNS || 200);
// Views of each page before the timed ones, not timed: the figures of an app that has been running, whose code
// the JavaScript engine has compiled (3 until December 2026, which timed a process still warming up).
const WARMUP_VIEWS = Number(process.env.BENCH_WARMUP_VIEWS ?? 50);
const CLIENT = process.env.BENCH_CLIENT === 'fetch' ? 'fetch' : 'http';
const PLAIN_RUNS = Number(process.env.BENCH_PLAIN_RUNS || 5);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const COURSES = 6;
const CONTENT_DIR = process.env.HOCSO_CONTENT_DIR || 'content';

const log = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

async function admin(q: string) {
	const c = new pg.Client({ connectionString: ADMIN_URL });
	await c.connect();
	try {
		await c.query(q);
	} finally {
		await c.end();
	}
}

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 100) / 100;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
	const t = performance.now();
	const v = await fn();
	return [performance.now() - t, v];
}

const REUSE = process.env.BENCH_REUSE;
const dbName = REUSE ?? `hocso_bench_stats_${process.pid}`;
if (!REUSE) await admin(`create database ${dbName}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${dbName}`;
const h = await connectDatabase({ url: url.toString(), poolSize: 4 });
const db = h.db;
let server: { origin: string; stop(): Promise<void> } | undefined;

/** Publishes content/ (the app's own publication: unchanged courses are left alone, a retired one is restored). */
async function publishBenchContent() {
	const content = loadContent(CONTENT_DIR);
	const errors = content.problems.filter((p) => p.severity === 'error');
	if (errors.length) throw new Error(`${CONTENT_DIR} has errors: ${errors.map(formatProblem).slice(0, 3).join('; ')}`);
	await publishContent(db, content);
}
const started = performance.now();

try {
	await migrateToLatest(db);
	if (!REUSE) await generate();
	async function generate() {
	await importSeedUnitsIfEmpty(db);
	log('units loaded');

	// Courses: the first ones of content/, published as the app publishes them (publishContent below).
	await publishBenchContent();
	await sql`create unlogged table bench_course as
		select row_number() over (order by position, id) - 1 as n, id, current_version_id from course
		where retired_at is null order by position, id limit ${COURSES}`.execute(db);
	const { rows: nCourses } = await sql<{ n: number }>`select count(*)::int as n from bench_course`.execute(db);
	if (nCourses[0].n !== COURSES) throw new Error(`content/ holds ${nCourses[0].n} courses, the bench needs ${COURSES}`);

	// ~1,100 hamlets: 19 under each of the 58 communes of 2025 from the Bình Định area.
	await sql`
		insert into unit (code, name, level, type, parent_id, search_key)
		select c.code || '-' || lpad(g::text, 2, '0'), 'Thôn ' || g, 'hamlet', 'thôn', c.id, ' thon ' || g
		from unit c cross join generate_series(1, 19) g
		where c.level = 'commune' and c.valid_from = '2025-07-01' and c.code < '23000'`.execute(db);
	await db.transaction().execute((trx) => rebuildUnitScope(trx).then(() => undefined));
	log('hamlets and scope ready');

	// Learners: each in a hamlet (some hamlets much bigger than others), audience mostly citizens.
	await sql`select setseed(0.42)`.execute(db);
	await sql`create unlogged table bench_hamlet as
		select row_number() over (order by h.id) as n, h.id, h.parent_id as commune_id from unit h where h.level = 'hamlet'`.execute(db);
	await sql`create unlogged table bench_pred as
		select l.new_unit_id as commune_id, l.old_unit_id, row_number() over (partition by l.new_unit_id order by l.old_unit_id) as n,
			count(*) over (partition by l.new_unit_id) as k
		from unit_lineage l join unit o on o.id = l.old_unit_id where o.level = 'commune'`.execute(db);
	const { rows: hcount } = await sql<{ n: number }>`select count(*)::int as n from bench_hamlet`.execute(db);
	const hamlets = hcount[0].n;
	await sql`
		insert into app_user (kind, full_name, audience, unit_id)
		select 'learner', 'Người học ' || i,
			case when i % 20 < 16 then 'citizen' when i % 20 < 19 then 'civil_servant' else 'team_member' end,
			h.id
		from generate_series(1, ${LEARNERS}) i
		join bench_hamlet h on h.n = 1 + floor(${hamlets}::int * power(((i * 2654435761::bigint) % 1000003) / 1000003.0, 1.6))::int
		order by i`.execute(db);
	await sql`create unlogged table bench_learner as
		select row_number() over (order by u.id) as n, u.id, u.audience, u.unit_id as hamlet_id, h.commune_id
		from app_user u join bench_hamlet h on h.id = u.unit_id`.execute(db);
	await sql`create unique index on bench_learner (n)`.execute(db);
	log(`${LEARNERS} learners in ${hamlets} hamlets`);

	// Records: learner n gets course (n mod 6) and, for the second half, another course; dates over 18 months.
	await sql`
		insert into completion_record (code, user_id, course_id, course_version_id, score, unit_id, audience, issued_at, revoked_at, revoke_reason)
		select 'B' || x.r, l.id, c.id, c.current_version_id, 90,
			case
				when x.at < '2025-07-01 00:00+07' and x.r % 2 = 0 then p.old_unit_id
				when x.at >= '2025-07-01 00:00+07' and x.r % 7 = 0 then l.commune_id
				else l.hamlet_id
			end,
			l.audience, x.at,
			case when x.r % 300 = 0 then x.at + interval '3 days' end,
			case when x.r % 300 = 0 then 'Cấp nhầm' end
		from (
			select r, 1 + (r - 1) % ${LEARNERS} as n, (r - 1) / ${LEARNERS} as k,
				timestamptz '2024-07-01 00:00+07' + random() * interval '548 days' as at
			from generate_series(1, ${RECORDS}) r
		) x
		join bench_learner l on l.n = x.n
		join bench_course c on c.n = (x.n + x.k * (1 + x.n % 5)) % ${COURSES}
		left join bench_pred p on p.commune_id = l.commune_id and p.n = 1 + x.r % p.k`.execute(db);
	await sql`analyze`.execute(db);
	log(`${RECORDS} records`);
	}
	const { rows: hc } = await sql<{ n: number }>`select count(*)::int as n from unit where level = 'hamlet'`.execute(db);
	const hamlets = hc[0].n;

	const unitByCode = async (code: string, current: boolean) =>
		(
			await sql<{ id: number }>`select id from unit where code = ${code} and ${current ? sql`valid_to is null` : sql`valid_to is not null`} order by id limit 1`.execute(
				db
			)
		).rows[0].id;
	const province = await unitByCode('52', true);
	const oldProvince = await unitByCode('52', false);
	const { rows: big } = await sql<{ id: number }>`
		select c.id from unit c join unit h on h.parent_id = c.id and h.level = 'hamlet'
		where c.level = 'commune' and c.valid_to is null group by c.id order by count(*) desc, c.id limit 1`.execute(db);
	const commune = big[0].id;
	const { rows: districts } = await sql<{ id: number }>`select id from unit where parent_id = ${oldProvince} and level = 'district' order by code limit 1`.execute(db);

	// The app under test publishes content/ when it starts; so does the bench, before measuring, so that a database
	// kept from an earlier run holds the same published courses as the app will (none retired, none added).
	if (REUSE) await publishBenchContent();
	const { rows: courseRows } = await sql<{ id: number }>`select id from bench_course order by n`.execute(db);
	const k1 = courseRows[0].id;
	let actor: number;
	let target: number;
	let rebuildMs: number | null = null;
	if (REUSE) {
		actor = (await sql<{ id: number }>`select id from app_user where username = 'bench-admin'`.execute(db)).rows[0].id;
		target = (await sql<{ id: number }>`select id from target where title = 'K1 năm 2025'`.execute(db)).rows[0].id;
	} else {
	const { rows: actors } = await sql<{ id: number }>`insert into app_user (kind, full_name, username) values ('learner', 'Quản trị bench', 'bench-admin') returning id`.execute(db);
	actor = actors[0].id;
	await sql`insert into user_role (user_id, role, unit_id) values (${actor}, 'admin', null)`.execute(db);
	await createProgramme(db, { name: 'K1 và K2', courseIds: [courseRows[0].id, courseRows[1].id] }, { userId: actor, unitId: province });
	const count = (n: number) => ({ title: '', kind: 'course' as const, subjectId: k1, goalKind: 'count' as const, goalCount: n, goalPercent: null });
	target = await createTarget(db, province, { ...count(120_000), audience: null, periodStart: '2025-01-01', periodEnd: '2025-12-31' }, actor, 'K1 năm 2025');
	await createTarget(db, province, { ...count(80_000), audience: 'citizen', periodStart: '2025-07-01', periodEnd: '2025-12-31' }, actor, 'K1 người dân, 6 tháng cuối 2025');
	await createTarget(db, oldProvince, { ...count(60_000), audience: null, periodStart: '2025-01-01', periodEnd: '2025-12-31' }, actor, 'K1 tỉnh Bình Định 2025');
	await createTarget(db, districts[0].id, { ...count(9_000), audience: null, periodStart: '2025-01-01', periodEnd: '2025-12-31' }, actor, 'K1 huyện cũ 2025');

	[rebuildMs] = await timed(() => db.transaction().execute((trx) => rebuildRollups(trx)));
	// What autovacuum does to freshly loaded tables soon after: statistics, and the visibility map that lets the
	// dashboards' reads of the counts be index-only scans.
	await sql`vacuum (analyze) stat_day, stat_month`.execute(db);
	await sql`analyze`.execute(db);
	log(`rollups built in ${Math.round(rebuildMs!)} ms`);
	}

	// A few hundred records issued and revoked through the app's counting functions, on top of the rebuild.
	const { rows: fresh } = await sql<{ id: number; audience: string; hamlet_id: number }>`
		select l.id, l.audience, l.hamlet_id from bench_learner l
		where not exists (select 1 from completion_record r where r.user_id = l.id and r.course_id = ${courseRows[5].id})
		order by l.n limit 300`.execute(db);
	for (const [i, l] of fresh.entries()) {
		await db.transaction().execute(async (trx) => {
			const { rows } = await sql<{ id: number; issued_at: Date }>`
				insert into completion_record (code, user_id, course_id, course_version_id, score, unit_id, audience)
				select ${`N${process.pid}-${i}`}, ${l.id}, id, current_version_id, 95, ${l.hamlet_id}, ${l.audience} from course where id = ${courseRows[5].id}
				returning id, issued_at`.execute(trx);
			const rec = { userId: l.id, courseId: courseRows[5].id, unitId: l.hamlet_id, audience: l.audience, issuedAt: rows[0].issued_at };
			await countIssuedRecord(trx, rec);
			if (i % 10 === 0) {
				await sql`update completion_record set revoked_at = now(), revoke_reason = 'bench' where id = ${rows[0].id}`.execute(trx);
				await uncountRevokedRecord(trx, rec);
			}
		});
	}
	const [checkMs, diffs] = await timed(() => compareRollupsWithRecount(db));
	log(`rollups compared with a full recount in ${Math.round(checkMs)} ms: ${diffs.length} differences`);

	// The same figures by plain GROUP BY over the records.
	const plainFigures = async (slices: Slice[], kindCourse: number, audience: string | null, groupBy: 'none' | 'week' | 'subject') => {
		const out = new Map<string, { learners: number; possible: number }>();
		for (const s of slices) {
			const key = groupBy === 'week' ? sql`to_char(date_trunc('week', (r.issued_at at time zone ${STATS_TIME_ZONE})::date), 'YYYY-MM-DD')` : groupBy === 'subject' ? sql`r.course_id || '/' || coalesce(r.audience, '')` : sql`''`;
			const { rows } = await sql<{ k: string; sure: number; maybe: number }>`
				select ${key} as k,
					count(distinct r.user_id) filter (where ${s.certain} and not sc.partial)::int as sure,
					count(distinct r.user_id) filter (where not ${s.certain} or sc.partial)::int as maybe
				from completion_record r join unit_scope sc on sc.unit_id = r.unit_id and sc.ancestor_id = ${s.unitId}
				where r.revoked_at is null
					${groupBy === 'subject' ? sql`` : sql`and r.course_id = ${kindCourse}`}
					${audience === null ? sql`` : sql`and r.audience = ${audience}`}
					and (r.issued_at at time zone ${STATS_TIME_ZONE})::date between ${s.from}::date and ${s.to}::date
				group by 1`.execute(db);
			for (const r of rows) {
				const o = out.get(r.k) ?? { learners: 0, possible: 0 };
				o.learners += r.sure;
				o.possible += r.maybe;
				out.set(r.k, o);
			}
		}
		return out;
	};
	const FROM = '2025-01-01';
	const TO = '2025-12-31';
	/** The province dashboard's figures for course K1, every audience, 2025: headline, child units, weeks, breakdown. */
	const plainDashboard = async () => {
		const unit = (await getUnitFacts(db, [province])).get(province)!;
		const plan = await planCounting(db, unit, FROM, TO);
		const headline = (await plainFigures(plan.slices, k1, null, 'none')).get('') ?? { learners: 0, possible: 0 };
		// The child units (all current: one slice each over the period) in one GROUP BY.
		const children = new Map<number, { learners: number; possible: number }>();
		const kids = await getChildUnits(db, province);
		const { rows: perChild } = await sql<{ id: number; sure: number; maybe: number }>`
			select sc.ancestor_id as id,
				count(distinct r.user_id) filter (where not sc.partial)::int as sure,
				count(distinct r.user_id) filter (where sc.partial)::int as maybe
			from completion_record r join unit_scope sc on sc.unit_id = r.unit_id and sc.ancestor_id in (${sql.join(kids.map((k) => k.id))})
			where r.revoked_at is null and r.course_id = ${k1}
				and (r.issued_at at time zone ${STATS_TIME_ZONE})::date between ${FROM}::date and ${TO}::date
			group by sc.ancestor_id`.execute(db);
		for (const c of perChild) children.set(c.id, { learners: c.sure, possible: c.maybe });
		if (kids.some((k) => k.validTo && k.validTo <= TO)) throw new Error('the plain count assumes current child units');
		const weeks = await plainFigures(plan.slices, k1, null, 'week');
		const breakdown = await plainFigures(plan.slices, k1, null, 'subject');
		return { headline, children, weeks, breakdown };
	};
	const plainTimes: number[] = [];
	let plain!: Awaited<ReturnType<typeof plainDashboard>>;
	for (let i = 0; i < PLAIN_RUNS; i++) {
		const [ms, v] = await timed(plainDashboard);
		plainTimes.push(ms);
		plain = v;
	}
	log(`plain GROUP BY: p50 ${pct(plainTimes, 50)} ms`);

	// Agreement: the dashboard's own tables against the plain figures.
	const filterUrl = new URL(`http://x/?noi_dung=course:${k1}&doi_tuong=&tu=${FROM}&den=${TO}&don_vi=tat_ca`);
	const dash = (await buildDashboard(db, province, filterUrl, (id) => `/don-vi/${id}`)) as Dashboard;
	const mismatches: string[] = [];
	const same = (what: string, a: { learners: number; possible: number } | undefined, b: { learners: number; possible: number } | undefined) => {
		const x = a ?? { learners: 0, possible: 0 };
		const y = b ?? { learners: 0, possible: 0 };
		if (x.learners !== y.learners || x.possible !== y.possible) mismatches.push(`${what}: rollups ${x.learners}+${x.possible}, plain ${y.learners}+${y.possible}`);
	};
	same('headline', dash.headline ?? undefined, plain.headline);
	const kids = await getChildUnits(db, province);
	void planCounting;
	const childTable = dash.tables.find((t) => t.id === 'don-vi')!;
	childTable.links!.forEach((link, i) => {
		const id = Number(link!.split('/')[2]);
		same(`unit ${id}`, { learners: childTable.rows[i][2] as number, possible: childTable.rows[i][3] as number }, plain.children.get(id));
	});
	if (childTable.rows.length !== kids.length) mismatches.push('child count');
	for (const w of dash.weeks) same(`week ${w.week}`, w, plain.weeks.get(w.week));
	for (const [k, v] of plain.weeks) if (!dash.weeks.some((w) => w.week === k) && (v.learners || v.possible)) mismatches.push(`week ${k} missing`);
	const breakdownSum = (dash.tables.find((t) => t.id === 'co-cau')?.rows ?? []).reduce((a, r) => a + (r[2] as number), 0);
	const plainCourses = [...plain.breakdown.values()].reduce((a, v) => a + v.learners, 0);
	const { rows: progRows } = await sql<{ n: number }>`
		select coalesce(sum(learners), 0)::int as n from stat_month where unit_id = ${province} and kind = 'programme' and month between '2025-01-01' and '2025-12-01' and not partial`.execute(db);
	if (breakdownSum !== plainCourses + progRows[0].n) mismatches.push(`breakdown total ${breakdownSum} vs ${plainCourses} + programme ${progRows[0].n}`);
	const agree = mismatches.length === 0 && diffs.length === 0;
	if (!agree) log(`DISAGREE: ${[...mismatches, ...diffs.map((d) => JSON.stringify(d))].slice(0, 10).join('\n')}`);

	// HTTP: the built app on this database, logged in as the administrator.
	buildIfNeeded();
	const token = generateSessionToken();
	await sql`insert into user_session (id, user_id, expires_at) values (${sessionIdOf(token)}, ${actor}, now() + interval '1 day')`.execute(db);
	// BENCH_PROFILE=dir: a CPU profile of the app process (bench/cpu-profile.js), written when it stops.
	const profile = process.env.BENCH_PROFILE
		? { NODE_OPTIONS: `--import=${new URL('./cpu-profile.js', import.meta.url).href}`, HOCSO_CPU_PROFILE_DIR: path.resolve(process.env.BENCH_PROFILE) }
		: {};
	if (process.env.BENCH_PROFILE) fs.mkdirSync(process.env.BENCH_PROFILE, { recursive: true });
	server = await startServer({ DATABASE_URL: url.toString(), HOCSO_CONTENT_DIR: CONTENT_DIR, HOCSO_WATCH_CONTENT: '0', ...profile });
	const { rows: retired } = await sql<{ n: number }>`select count(*)::int as n from bench_course b join course c on c.id = b.id where c.retired_at is not null`.execute(db);
	if (retired[0].n) mismatches.push(`${retired[0].n} bench courses retired by the app's start`);
	// Pages are timed with a light node:http client (pageClient, bench/support.js) until their last byte arrives;
	// BENCH_CLIENT=fetch times them with fetch as before (its own CPU, on the app's two cores, counts in the figures).
	const client = pageClient(server.origin, { cookie: `session=${token}` });
	const timedGet = async (path: string): Promise<[number, string]> => {
		if (CLIENT === 'fetch') {
			const t0 = performance.now();
			const res = await fetch(server!.origin + path, { headers: { cookie: `session=${token}`, 'accept-encoding': 'gzip' } });
			if (!res.ok) throw new Error(`${path}: ${res.status}`);
			const body = await res.text();
			return [performance.now() - t0, body];
		}
		const { status, ms, body } = await client.get(path);
		if (status !== 200) throw new Error(`${path}: ${status}`);
		return [ms, body];
	};
	const get = async (path: string) => (await timedGet(path))[1];
	const pages = {
		dashboard: `/don-vi/${province}/thong-ke?chi_tieu=${target}`,
		drillDown: `/don-vi/${commune}/thong-ke?noi_dung=course:${k1}&doi_tuong=&tu=${FROM}&den=${TO}`,
		csv: `/don-vi/${province}/thong-ke/xuat?noi_dung=course:${k1}&doi_tuong=&tu=${FROM}&den=${TO}&don_vi=tat_ca&bang=don-vi&dinh_dang=csv`
	};
	const times: Record<string, number[]> = { dashboard: [], drillDown: [], csv: [] };
	const sizes: Record<string, number> = {};
	for (const [name, page] of Object.entries(pages)) {
		for (let i = 0; i < WARMUP_VIEWS; i++) await get(page);
		for (let i = 0; i < RUNS; i++) {
			const [ms, body] = await timedGet(page);
			times[name].push(ms);
			sizes[name] = Buffer.byteLength(body);
		}
	}
	const csv = await get(pages.csv);
	client.close();
	const csvRows = csv.replace(/^\uFEFF/, '').trim().split('\r\n').length - 2;
	if (csvRows !== childTable.rows.length) {
		mismatches.push(`csv rows ${csvRows} vs ${childTable.rows.length}`);
	}
	const dashboardP95Ms = pct(times.dashboard, 95);
	const plainP95Ms = Math.round(pct(plainTimes, 95));
	const { rows: sizeRows } = await sql<{ day: number; month: number }>`
		select (select count(*) from stat_day)::int as day, (select count(*) from stat_month)::int as month`.execute(db);
	console.log(
		JSON.stringify({
			dashboardP50Ms: pct(times.dashboard, 50),
			dashboardP95Ms,
			drillDownP50Ms: pct(times.drillDown, 50),
			drillDownP95Ms: pct(times.drillDown, 95),
			csvP50Ms: pct(times.csv, 50),
			csvP95Ms: pct(times.csv, 95),
			plainP50Ms: Math.round(pct(plainTimes, 50)),
			plainP95Ms,
			speedup: Math.round((plainP95Ms / dashboardP95Ms) * 10) / 10,
			agree: agree && mismatches.length === 0,
			learners: LEARNERS,
			records: RECORDS,
			hamlets,
			rollupRows: { day: sizeRows[0].day, month: sizeRows[0].month },
			rollupRebuildMs: rebuildMs === null ? null : Math.round(rebuildMs),
			dashboardHtmlBytes: sizes.dashboard,
			runs: RUNS,
			warmupViews: WARMUP_VIEWS,
			client: CLIENT,
			plainRuns: PLAIN_RUNS,
			totalSeconds: Math.round((performance.now() - started) / 1000)
		})
	);
} finally {
	await server?.stop();
	await h.close();
	// A database given to reuse is never dropped: only one this run made, unless told to keep it.
	if (!REUSE && process.env.BENCH_KEEP !== '1') await admin(`drop database if exists ${dbName} with (force)`);
}
