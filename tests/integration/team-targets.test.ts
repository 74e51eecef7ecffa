import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createLearner, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { addHamlet, listHamlets } from '../../src/lib/server/units/hamlets';
import { createTarget, getTarget, setTargetClosed, setTargetParts, type TargetValues } from '../../src/lib/server/stats/targets';
import { buildDashboard } from '../../src/lib/server/stats/dashboard';
import { todayInVietnam } from '../../src/lib/server/stats/period';
import { listTeamTargets } from '../../src/lib/server/teams/team-targets';

const ONE = 'khoa-mot-bai';

// The targets a community team sees on its view: the hamlet's own, and those of the commune and province with the
// hamlet's contribution, counted by the officials' functions (so the same figures as the statistics pages).
describe(`team view: a hamlet's figures against its targets (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let courseOne: number;
	let official: number;
	let province: number;
	let commune: number;
	let hamletA: number;
	let hamletB: number;
	const year = todayInVietnam().slice(0, 4);

	const values = (over: Partial<TargetValues> = {}): TargetValues => ({
		title: '',
		kind: 'course',
		subjectId: courseOne,
		audience: null,
		periodStart: `${year}-01-01`,
		periodEnd: `${year}-12-31`,
		goalKind: 'count',
		goalCount: 10,
		goalPercent: null,
		...over
	});

	/** A learner of the unit who finishes the one-lesson course through the quiz path (the record is counted now). */
	async function finisher(unitId: number) {
		const userId = await createLearner(h.db, { unitId });
		const q = findQuestions(content, ONE, 'bai-duy-nhat').get('m-1')!;
		const r = await submitQuiz(h.db, { userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': answer(q, 'true') } }, content);
		expect(r.record).toBeTruthy();
	}

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
		await importSeedUnitsIfEmpty(h.db);
		courseOne = content.ids.courses.get(ONE)!.id;
		official = await createLearner(h.db, { name: 'Cán bộ xã', audience: 'civil_servant' });
		const c = await h.db.selectFrom('unit').select(['id', 'parent_id']).where('code', '=', '21994').where('valid_to', 'is', null).executeTakeFirstOrThrow();
		commune = c.id;
		province = c.parent_id!;
		// Hamlets as the commune's page adds them.
		for (const name of ['Hà Văn', 'Kà Bưng']) expect((await addHamlet(h.db, { communeId: commune, type: 'làng', name, actorUserId: official })).ok).toBe(true);
		const hamlets = await listHamlets(h.db, commune);
		hamletA = hamlets.find((x) => x.name === 'Hà Văn')!.id;
		hamletB = hamlets.find((x) => x.name === 'Kà Bưng')!.id;
	});
	afterAll(async () => h?.close());

	test('a hamlet sees its own targets and those above it, with its contribution; nothing of another hamlet, nothing closed', async () => {
		await finisher(hamletA);
		await finisher(hamletA);
		await finisher(hamletB);
		await finisher(commune);
		const communeTarget = await createTarget(h.db, commune, values({ title: 'Xã: khóa một bài', goalCount: 8 }), official, '');
		const provinceTarget = await createTarget(h.db, province, values({ title: 'Tỉnh: khóa một bài', goalCount: 1000 }), official, '');
		const ownTarget = await createTarget(h.db, hamletA, values({ title: 'Làng Hà Văn: khóa một bài', goalCount: 4 }), official, '');
		await createTarget(h.db, hamletB, values({ title: 'Làng Kà Bưng: khóa một bài' }), official, '');
		// The commune's target broken down: a part of 3 learners for Hà Văn is one of its own targets.
		await setTargetParts(h.db, (await getTarget(h.db, communeTarget))!, [{ unitId: hamletA, goal: 3 }], official);
		const closed = await createTarget(h.db, hamletA, values({ title: 'Đã đóng' }), official, '');
		await setTargetClosed(h.db, (await getTarget(h.db, closed))!, true, official);
		// Civil servants only: the hamlet's citizens do not count toward it.
		await createTarget(h.db, commune, values({ title: 'Xã: cán bộ', audience: 'civil_servant', goalCount: 5 }), official, '');

		const { own, above } = await listTeamTargets(h.db, hamletA);
		expect(own.map((t) => [t.title, t.learners, t.goalLearners, t.share])).toEqual(
			expect.arrayContaining([
				['Làng Hà Văn: khóa một bài', 2, 4, 0.5],
				['Xã: khóa một bài', 2, 3, 2 / 3]
			])
		);
		expect(own).toHaveLength(2);
		expect(own.every((t) => !t.inherited)).toBe(true);
		expect(own.find((t) => t.id === ownTarget)!.goalLabel).toBe('4 người');

		// Nearest first: the commune's, then the province's.
		const byTitle = new Map(above.map((t) => [t.title, t]));
		expect([...byTitle.keys()].sort()).toEqual(['Tỉnh: khóa một bài', 'Xã: cán bộ', 'Xã: khóa một bài'].sort());
		expect(above.findIndex((t) => t.id === provinceTarget)).toBe(above.length - 1);
		const communeView = byTitle.get('Xã: khóa một bài')!;
		expect(communeView).toMatchObject({ learners: 4, goalLearners: 8, share: 0.5, contribution: { learners: 2, possible: 0 }, contributionShare: 0.25 });
		expect(communeView.unitLabel).toContain('Vân Canh');
		expect(byTitle.get('Xã: cán bộ')).toMatchObject({ learners: 0, contribution: { learners: 0 } });
		expect(byTitle.get('Tỉnh: khóa một bài')).toMatchObject({ contribution: { learners: 2 }, contributionShare: 2 / 1000 });

		// The same figures as the officials' dashboards of the commune and the hamlet.
		const dash = await buildDashboard(h.db, commune, new URL(`http://x/?chi_tieu=${communeTarget}`), () => '');
		expect(dash!.targets.find((t) => t.id === communeTarget)!.learners).toBe(communeView.learners);
		const hamletDash = await buildDashboard(h.db, hamletA, new URL(`http://x/?noi_dung=course:${courseOne}&tu=${year}-01-01&den=${year}-12-31`), () => '');
		expect(hamletDash!.headline!.learners).toBe(communeView.contribution.learners);

		// The other hamlet: its own target, and its own contribution to the commune's.
		const other = await listTeamTargets(h.db, hamletB);
		expect(other.own.map((t) => t.title)).toEqual(['Làng Kà Bưng: khóa một bài']);
		expect(other.above.find((t) => t.id === communeTarget)!.contribution.learners).toBe(1);

		// A commune-wide team sees the commune's targets as its own and the province's above.
		const communeWide = await listTeamTargets(h.db, commune);
		expect(communeWide.own.map((t) => t.title).sort()).toEqual(['Xã: cán bộ', 'Xã: khóa một bài']);
		expect(communeWide.above.map((t) => [t.id, t.contribution.learners])).toEqual([[provinceTarget, 4]]);
	});
});
