import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createLearner, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { revokeRecord } from '../../src/lib/server/learning/records';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { addLeafToScope } from '../../src/lib/server/units/scope';
import { compareRollupsWithRecount, countIssuedRecord, rebuildRollups, rebuildRollupsIfMissing } from '../../src/lib/server/stats/rollups';
import { getChildUnits, getUnitFacts, planCounting, readFigures, readPageFigures, type Subject } from '../../src/lib/server/stats/counting';
import { createProgramme, updateProgramme } from '../../src/lib/server/stats/programmes';
import { createTarget, getTarget } from '../../src/lib/server/stats/targets';
import { buildDashboard, buildFormerDistricts, viewTargets, listSubjectOptions } from '../../src/lib/server/stats/dashboard';
import { CHILD_ROWS_SHOWN } from '../../src/lib/stats-view';
import { updateProfile } from '../../src/lib/server/auth/profile';
import { todayInVietnam } from '../../src/lib/server/stats/period';

const K = 'khoa-kiem-thu';
const ONE = 'khoa-mot-bai';

describe(`training statistics: rollups and counting (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let courseK: number;
	let courseOne: number;
	let actor: number;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
		await importSeedUnitsIfEmpty(h.db);
		courseK = content.ids.courses.get(K)!.id;
		courseOne = content.ids.courses.get(ONE)!.id;
		actor = await createLearner(h.db, { name: 'Cán bộ tỉnh', audience: 'civil_servant' });
	});
	afterAll(async () => {
		await h?.close();
	});

	/** A unit by official code: the one that exists today, or the one that ended. */
	async function unit(code: string, current = true): Promise<number> {
		const { rows } = await sql<{ id: number }>`
			select id from unit where code = ${code} and ${current ? sql`valid_to is null` : sql`valid_to is not null`} order by id limit 1`.execute(h.db);
		if (!rows[0]) throw new Error(`no unit ${code}`);
		return rows[0].id;
	}

	async function addHamlet(communeId: number, name: string): Promise<number> {
		return h.db.transaction().execute(async (trx) => {
			const { id } = await trx
				.insertInto('unit')
				.values({ code: `${communeId}-${name}`, name, level: 'hamlet', type: 'thôn', parent_id: communeId, search_key: ` thon ${name}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			await addLeafToScope(trx, id, communeId);
			return id;
		});
	}

	/**
	 * A record issued on a given day, counted by the same function the issue path calls. The issue path stamps
	 * now(); records of 2024 and early 2025 (before the merger) can only be made this way.
	 */
	async function issueOn(userId: number, courseId: number, at: string): Promise<{ code: string }> {
		const code = `T${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
		await h.db.transaction().execute(async (trx) => {
			const u = await trx.selectFrom('app_user').select(['unit_id', 'audience']).where('id', '=', userId).executeTakeFirstOrThrow();
			const v = await trx.selectFrom('course').select('current_version_id').where('id', '=', courseId).executeTakeFirstOrThrow();
			const r = await trx
				.insertInto('completion_record')
				.values({ code, user_id: userId, course_id: courseId, course_version_id: v.current_version_id!, score: 90, unit_id: u.unit_id, audience: u.audience, issued_at: at })
				.returning(['issued_at'])
				.executeTakeFirstOrThrow();
			await countIssuedRecord(trx, { userId, courseId, unitId: u.unit_id, audience: u.audience, issuedAt: r.issued_at });
		});
		return { code };
	}

	function resp(course: string, lesson: string, answers: Record<string, string>) {
		const qs = findQuestions(content, course, lesson);
		return Object.fromEntries(Object.entries(answers).map(([id, v]) => [id, answer(qs.get(id)!, v)]));
	}
	/** Completes the one-lesson course through the real quiz path: the record is issued now. */
	const passOne = (userId: number) =>
		submitQuiz(h.db, { userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: resp(ONE, 'bai-duy-nhat', { 'm-1': 'true' }) }, content);

	async function figure(unitId: number, subject: Subject, from: string, to: string) {
		const facts = (await getUnitFacts(h.db, [unitId])).get(unitId)!;
		const plan = await planCounting(h.db, facts, from, to);
		return (await readFigures(h.db, [plan.slices], subject))[0];
	}
	const one = (audience: string | null = null): Subject => ({ kind: 'course', id: courseOne, audience });

	test('after random issues and revocations, some at the same moment, the rollups equal a full recount', async () => {
		const communes = (await sql<{ id: number }>`select id from unit where level = 'commune' order by id limit 60`.execute(h.db)).rows.map((r) => r.id);
		const hamlets = [await addHamlet(communes[3], 'Rollup 1'), await addHamlet(communes[40], 'Rollup 2')];
		const places = [...communes, ...hamlets, ...hamlets];
		let seed = 7;
		const rnd = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % n;
		};
		const audiences = ['citizen', 'civil_servant', 'team_member'] as const;
		const programme = await createProgramme(h.db, { name: 'Hai khóa thử', courseIds: [courseK, courseOne] }, { userId: actor, unitId: null });
		expect(programme.ok).toBe(true);
		const learners: number[] = [];
		for (let i = 0; i < 40; i++) learners.push(await createLearner(h.db, { unitId: places[rnd(places.length)], audience: audiences[rnd(3)] }));
		const codes: string[] = [];
		// Dated records of the kiểm thử course, across the merger.
		for (const l of learners.slice(0, 30)) {
			const day = new Date(Date.UTC(2024, 6, 1) + rnd(540) * 86_400_000 + rnd(86_400) * 1000);
			codes.push((await issueOn(l, courseK, day.toISOString())).code);
		}
		// The one-lesson course through the quiz path, all at once; then revocations racing more completions.
		const first = await Promise.all(learners.slice(0, 25).map((l) => passOne(l)));
		for (const r of first) codes.push(r.record!.code);
		const revoking = codes.filter(() => rnd(3) === 0);
		await Promise.all([
			...revoking.map((c) => revokeRecord(h.db, c, 'Kiểm tra thu hồi', actor)),
			...learners.slice(25).map((l) => passOne(l)),
			...learners.slice(0, 5).map((l) => passOne(l)) // already complete: no second record
		]);
		// A second revocation of the same record changes nothing.
		expect((await revokeRecord(h.db, revoking[0], 'lần hai', actor)).ok).toBe(false);
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);

		// Changing the programme recounts its completions.
		const updated = await updateProgramme(h.db, programme.ok ? programme.id : 0, { name: 'Hai khóa thử', courseIds: [courseOne, courseK] }, { userId: actor, unitId: null });
		expect(updated.ok).toBe(true);
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);

		// A rebuild from scratch gives the same rows as the running counts.
		const before = await sql<{ n: number; s: number }>`select count(*)::int as n, coalesce(sum(learners), 0)::int as s from stat_day where learners <> 0`.execute(h.db);
		await h.db.transaction().execute((trx) => rebuildRollups(trx));
		const after = await sql<{ n: number; s: number }>`select count(*)::int as n, coalesce(sum(learners), 0)::int as s from stat_day`.execute(h.db);
		expect(after.rows[0]).toEqual(before.rows[0]);
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);

		// A database upgraded from before the statistics has records and no counts: the first start builds them.
		expect(await rebuildRollupsIfMissing(h.db)).toBe(false);
		await sql`delete from stat_day`.execute(h.db);
		await sql`delete from stat_month`.execute(h.db);
		expect((await compareRollupsWithRecount(h.db)).length).toBeGreaterThan(0);
		expect(await rebuildRollupsIfMissing(h.db)).toBe(true);
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);

		// The province figure is the number of distinct learners with a valid record of the course.
		const gl = await unit('52');
		const { rows } = await sql<{ n: number }>`
			select count(distinct r.user_id)::int as n from completion_record r join unit_scope s on s.unit_id = r.unit_id and s.ancestor_id = ${gl} and not s.partial
			where r.course_id = ${courseOne} and r.revoked_at is null`.execute(h.db);
		expect((await figure(gl, one(), '2020-01-01', '2030-12-31')).learners).toBe(rows[0].n);
		expect(rows[0].n).toBeGreaterThan(20);
	});

	test('across the 2025 merger: split communes are shown as "up to", merged ones count under what they became', async () => {
		// Canh Hiệp (2022) was split between Vân Canh and Canh Vinh (2025): partial lineage.
		const canhHiep = await unit('22000', false);
		const canhVinh = await unit('22006');
		const vanCanhNew = await unit('21994');
		const gl = await unit('52');
		const bd = await unit('52', false);
		const district = (await sql<{ id: number }>`select parent_id as id from unit where id = ${canhHiep}`.execute(h.db)).rows[0].id;
		const a = await createLearner(h.db, { unitId: canhHiep, audience: 'citizen' });
		await issueOn(a, courseOne, '2025-03-01T03:00:00Z');
		const y2025 = ['2025-01-01', '2025-12-31'] as const;
		expect(await figure(canhHiep, one(), ...y2025)).toEqual({ learners: 1, possible: 0 });
		expect(await figure(district, one(), ...y2025)).toEqual({ learners: 1, possible: 0 });
		expect(await figure(bd, one(), ...y2025)).toMatchObject({ learners: 1 });
		expect(await figure(canhVinh, one(), ...y2025)).toEqual({ learners: 0, possible: 1 });
		expect(await figure(vanCanhNew, one(), ...y2025)).toEqual({ learners: 0, possible: 1 });
		// Gia Lai 2025 holds all of Bình Định: certain there.
		const glBefore = await figure(gl, one(), ...y2025);
		expect(glBefore.learners).toBeGreaterThanOrEqual(1);

		// A commune merged whole into a new one whose other predecessors lie in the same former district.
		const { rows: pairs } = await sql<{ old_id: number; other_id: number; new_id: number; district_id: number }>`
			select l.old_unit_id as old_id, l2.old_unit_id as other_id, l.new_unit_id as new_id, o.parent_id as district_id
			from unit_lineage l
			join unit o on o.id = l.old_unit_id and o.level = 'commune'
			join unit_lineage l2 on l2.new_unit_id = l.new_unit_id and l2.old_unit_id <> l.old_unit_id
			join unit o2 on o2.id = l2.old_unit_id and o2.parent_id = o.parent_id
			where l.kind = 'full' and l2.kind = 'full'
				and not exists (select 1 from unit_lineage x join unit xo on xo.id = x.old_unit_id
					where x.new_unit_id = l.new_unit_id and (x.kind <> 'full' or xo.parent_id <> o.parent_id))
			order by l.new_unit_id, l.old_unit_id limit 1`.execute(h.db);
		const { old_id: oldC, other_id: otherC, new_id: newC, district_id: oldDistrict } = pairs[0];
		const hamlet = await addHamlet(newC, 'Sáp nhập');
		const before = await createLearner(h.db, { unitId: oldC, audience: 'citizen' });
		const other = await createLearner(h.db, { unitId: otherC, audience: 'citizen' });
		const after = await createLearner(h.db, { unitId: hamlet, audience: 'citizen' });
		await issueOn(before, courseOne, '2025-02-01T03:00:00Z');
		await issueOn(other, courseOne, '2025-03-01T03:00:00Z');
		const late = await issueOn(after, courseOne, '2025-09-01T03:00:00Z');
		expect(await figure(newC, one(), ...y2025)).toEqual({ learners: 3, possible: 0 });
		// A target on the old commune counts it before the merger and the unit it became after, not its neighbour's past.
		const targetId = await createTarget(
			h.db,
			oldC,
			{ title: 'K96 năm 2025', kind: 'course', subjectId: courseOne, audience: null, periodStart: '2025-01-01', periodEnd: '2025-12-31', goalKind: 'count', goalCount: 10, goalPercent: null },
			actor,
			''
		);
		const options = await listSubjectOptions(h.db);
		const view = async () => (await viewTargets(h.db, [(await getTarget(h.db, targetId))!], newC, options))[0];
		expect(await view()).toMatchObject({ learners: 2, possible: 0, goalLearners: 10, share: 0.2, inherited: true });
		expect((await view()).note).toContain('01/07/2025');
		// The former district counts its old communes before July 2025 and, after, the new commune made only of them.
		expect((await figure(oldDistrict, one(), ...y2025)).learners).toBeGreaterThanOrEqual(3);
		// Revoking takes the record out at once.
		expect((await revokeRecord(h.db, late.code, 'Cấp nhầm', actor)).ok).toBe(true);
		expect(await view()).toMatchObject({ learners: 1 });
		expect(await figure(newC, one(), ...y2025)).toEqual({ learners: 2, possible: 0 });
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);

		// The dashboard reads its context and its figures in two statements: the same figures as counted one by one,
		// for units that ended (with whole and split successors) and units of today.
		const query = `?noi_dung=course:${courseOne}&doi_tuong=&tu=2025-01-01&den=2025-12-31`;
		for (const u of [newC, oldC, oldDistrict, district, canhHiep, canhVinh, bd, gl]) {
			const d = (await buildDashboard(h.db, u, new URL(`http://x/${query}&don_vi=tat_ca`), (id) => `/u/${id}`))!;
			const facts = (await getUnitFacts(h.db, [u])).get(u)!;
			const plan = await planCounting(h.db, facts, ...y2025);
			expect(d.headline).toEqual({ ...(await figure(u, one(), ...y2025)), note: d.headline!.note });
			const alone = await readPageFigures(h.db, [], { weeks: { slices: plan.slices, subject: one(), from: y2025[0], to: y2025[1] }, breakdown: { slices: plan.slices, audience: null } });
			expect(d.weeks).toEqual(alone.weeks);
			const breakdown = alone.breakdown!;
			expect(d.tables.find((t) => t.id === 'co-cau')!.rows.map((r) => r[2]).sort()).toEqual(breakdown.map((b) => b.learners).sort());
			// The weeks read day rows only, the figure and the breakdown whole months from the month rows: they agree.
			const sum = (xs: { learners: number; possible: number }[]) => xs.reduce((a, x) => ({ learners: a.learners + x.learners, possible: a.possible + x.possible }), { learners: 0, possible: 0 });
			expect(sum(d.weeks)).toEqual({ learners: d.headline!.learners, possible: d.headline!.possible });
			expect(sum(breakdown.filter((b) => b.kind === 'course' && b.subjectId === courseOne))).toEqual({ learners: d.headline!.learners, possible: d.headline!.possible });
			const children = await getChildUnits(h.db, u);
			const table = d.tables.find((t) => t.id === 'don-vi');
			expect(table?.rows.length ?? 0).toBe(children.length);
			expect(d.children).toEqual({ total: children.length, all: true });
			for (const [i, link] of (table?.links ?? []).entries()) {
				const f = await figure(Number(link!.split('/')[2]), one(), ...y2025);
				expect({ learners: table!.rows[i][2], possible: table!.rows[i][3] }).toEqual(f);
			}
		}
		// The former-district view counts each district of 2022 as it is counted one by one (before the reform as
		// itself, after it through what its communes became).
		const former = (await buildFormerDistricts(h.db, bd, new URL(`http://x/${query}`), (id) => `/u/${id}`)).tables.find((t) => t.id === 'huyen-cu')!;
		expect(former.rows).toHaveLength(11);
		expect(former.links).toContain(`/u/${oldDistrict}`);
		for (const [i, link] of former.links!.entries()) {
			expect({ learners: former.rows[i][1], possible: former.rows[i][2] }).toEqual(await figure(Number(link!.split('/')[2]), one(), ...y2025));
		}
		const onNew = (await buildDashboard(h.db, newC, new URL(`http://x/?chi_tieu=${targetId}`), () => ''))!;
		expect(onNew.targets.find((t) => t.id === targetId)).toEqual(await view());

		// Past CHILD_ROWS_SHOWN units below, the table (and so its export) holds the first ones until all are asked for.
		const glAll = (await buildDashboard(h.db, gl, new URL(`http://x/${query}&don_vi=tat_ca`), (id) => `/u/${id}`))!;
		const glFirst = (await buildDashboard(h.db, gl, new URL(`http://x/${query}`), (id) => `/u/${id}`))!;
		const total = (await getChildUnits(h.db, gl)).length;
		expect(total).toBeGreaterThan(CHILD_ROWS_SHOWN);
		expect(glFirst.children).toEqual({ total, all: false });
		const allRows = glAll.tables.find((t) => t.id === 'don-vi')!.rows;
		expect(allRows).toHaveLength(total);
		expect(glFirst.tables.find((t) => t.id === 'don-vi')!.rows).toEqual(allRows.slice(0, CHILD_ROWS_SHOWN));
	});

	test('a learner who moves commune keeps old records where they were earned; new ones count in the new unit', async () => {
		const from = await unit('21994'); // xã Vân Canh
		const to = await unit('22006'); // xã Canh Vinh
		const all = ['2020-01-01', '2030-12-31'] as const;
		const kSubject: Subject = { kind: 'course', id: courseK, audience: null };
		const count = async () => ({
			fromK: (await figure(from, kSubject, ...all)).learners,
			toK: (await figure(to, kSubject, ...all)).learners,
			fromOne: (await figure(from, one(), ...all)).learners,
			toOne: (await figure(to, one(), ...all)).learners
		});
		const start = await count();
		const userId = await createLearner(h.db, { unitId: from, audience: 'citizen' });
		await issueOn(userId, courseK, new Date().toISOString());
		expect(await count()).toEqual({ ...start, fromK: start.fromK + 1 });
		expect((await updateProfile(h.db, userId, { fullName: 'Hà Thị Chuyển', unitId: String(to) })).ok).toBe(true);
		expect(await count()).toEqual({ ...start, fromK: start.fromK + 1 });
		// The move is in the audit log of both units, once each; saving the same unit again writes nothing.
		expect((await updateProfile(h.db, userId, { fullName: 'Hà Thị Chuyển', unitId: String(to) })).ok).toBe(true);
		const moves = await h.db.selectFrom('audit_log').select(['action', 'unit_id', 'actor_user_id']).where('target_user_id', '=', userId).orderBy('action').execute();
		expect(moves).toEqual([
			{ action: 'account.move_in', unit_id: to, actor_user_id: userId },
			{ action: 'account.move_out', unit_id: from, actor_user_id: userId }
		]);
		const done = await passOne(userId);
		expect(done.record?.unitId).toBe(to);
		expect(await count()).toEqual({ ...start, fromK: start.fromK + 1, toOne: start.toOne + 1 });
		// This week's bar of the new unit has the record issued a moment ago.
		const today = todayInVietnam();
		// Weeks and breakdown over different slices, with figures of other subjects, in one read.
		const read = await readPageFigures(h.db, [{ slices: [{ unitId: to, from: all[0], to: all[1], certain: true }], subject: kSubject }], {
			weeks: { slices: [{ unitId: to, from: today, to: today, certain: true }], subject: one(), from: today, to: today },
			breakdown: { slices: [{ unitId: to, from: all[0], to: all[1], certain: true }], audience: null }
		});
		const toK = await figure(to, kSubject, ...all);
		expect(toK.learners).toBe(start.toK);
		expect(read.figures).toEqual([toK]);
		const weeks = read.weeks!;
		expect(weeks).toHaveLength(1);
		expect(weeks.reduce((a, w) => a + w.learners, 0)).toBeGreaterThanOrEqual(1);
		const toBreak = read.breakdown!;
		expect(toBreak.filter((r) => r.kind === 'course' && r.subjectId === courseK).reduce((a, r) => a + r.learners, 0)).toBe(toK.learners);
		// A breakdown of one audience has that audience's rows only.
		for (const audience of ['citizen', 'civil_servant']) {
			const slices = [{ unitId: to, from: all[0], to: all[1], certain: true }];
			expect((await readPageFigures(h.db, [], { breakdown: { slices, audience } })).breakdown).toEqual(toBreak.filter((r) => r.audience === audience));
		}
		const oneRows = toBreak.filter((r) => r.kind === 'course' && r.subjectId === courseOne);
		expect(oneRows.reduce((a, r) => a + r.learners, 0)).toBe(start.toOne + 1);
		expect(oneRows.find((r) => r.audience === 'citizen')?.learners).toBeGreaterThanOrEqual(1);
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);
		// Only units that exist today can be chosen.
		const old = await unit('22000', false);
		expect(await updateProfile(h.db, userId, { fullName: 'Hà Thị Chuyển', unitId: String(old) })).toMatchObject({ ok: false, field: 'unit_id' });
	});

	test('a programme is complete when all its courses are; revoking one course takes the learner out of it', async () => {
		const place = await unit('21997'); // xã Canh Liên (2025)
		const created = await createProgramme(h.db, { name: 'K97 rồi K96', courseIds: [courseK, courseOne] }, { userId: actor, unitId: place });
		expect(created.ok).toBe(true);
		const pid = created.ok ? created.id : 0;
		const prog: Subject = { kind: 'programme', id: pid, audience: null };
		const userId = await createLearner(h.db, { unitId: place, audience: 'civil_servant' });
		const today = todayInVietnam();
		const k = await issueOn(userId, courseK, new Date().toISOString());
		expect(await figure(place, prog, today, today)).toEqual({ learners: 0, possible: 0 });
		await passOne(userId);
		expect(await figure(place, prog, today, today)).toEqual({ learners: 1, possible: 0 });
		await revokeRecord(h.db, k.code, 'Sai người', actor);
		expect(await figure(place, prog, today, today)).toEqual({ learners: 0, possible: 0 });
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);
	});
});
