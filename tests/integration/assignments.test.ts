import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createLearner, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import {
	assignCourse,
	CourseNotFoundError,
	listAssignableCourses,
	listAssignments,
	listMyAssignments,
	removeAssignment
} from '../../src/lib/server/learning/assignments';
import { parseDueDate } from '../../src/lib/server/learning/due-date';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { listCourseProgress } from '../../src/lib/server/learning/progress';
import { revokeRecord } from '../../src/lib/server/learning/records';
import { anonymizeUser } from '../../src/lib/server/auth/user';

const K = 'khoa-kiem-thu';
const ONE = 'khoa-mot-bai';

describe(`assigning courses (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let admin: number;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
		admin = await createLearner(h.db, { name: 'Quản trị viên' });
	});
	afterAll(async () => h?.close());

	const due = (day: string) => {
		const r = parseDueDate(day, new Date('2026-06-01T00:00:00Z'));
		if (!r.ok) throw new Error(r.message);
		return r.dueAt;
	};
	const passOne = (userId: number) =>
		submitQuiz(
			h.db,
			{ userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': answer(findQuestions(content, ONE, 'bai-duy-nhat').get('m-1')!, 'true') } },
			content
		);
	const itemsOf = async (userId: number) => {
		const name = (await h.db.selectFrom('app_user').select('full_name').where('id', '=', userId).executeTakeFirstOrThrow()).full_name;
		return (await listAssignments(h.db)).items.filter((a) => a.learnerName === name);
	};

	test('the course picker lists the published courses in catalog order', async () => {
		expect(await listAssignableCourses(h.db)).toEqual([
			{ slug: K, title: 'Khóa kiểm thử học tập' },
			{ slug: ONE, title: 'Khóa một bài' }
		]);
	});

	test('assigning again changes the due date of the one assignment (upsert), or clears it', async () => {
		const userId = await createLearner(h.db, { name: 'Hoàng Văn Sáu' });
		expect(await assignCourse(h.db, { userId, courseSlug: ONE, dueAt: due('2026-09-30'), assignedBy: admin })).toEqual({ created: true });
		expect(await assignCourse(h.db, { userId, courseSlug: ONE, dueAt: due('2026-12-31'), assignedBy: admin })).toEqual({ created: false });
		let rows = await h.db.selectFrom('assignment').select(['due_at', 'assigned_by']).where('user_id', '=', userId).execute();
		expect(rows).toEqual([{ due_at: new Date('2026-12-31T16:59:59.999Z'), assigned_by: admin }]);
		// The learner sees the date on "Khóa học của tôi".
		expect((await listMyAssignments(h.db, userId)).map((a) => [a.courseSlug, a.dueAt])).toEqual([[ONE, new Date('2026-12-31T16:59:59.999Z')]]);
		expect((await listCourseProgress(h.db, userId)).get(ONE)).toMatchObject({ done: 0, total: 1 });

		await assignCourse(h.db, { userId, courseSlug: ONE, dueAt: null, assignedBy: admin });
		rows = await h.db.selectFrom('assignment').select(['due_at', 'assigned_by']).where('user_id', '=', userId).execute();
		expect(rows).toEqual([{ due_at: null, assigned_by: admin }]);
		await expect(assignCourse(h.db, { userId, courseSlug: 'khong-co', assignedBy: admin })).rejects.toBeInstanceOf(CourseNotFoundError);
	});

	test('the list names learner and course, newest first, with the due date and whether the course is done', async () => {
		const userId = await createLearner(h.db, { name: 'Đào Thị Tư' });
		await h.db.updateTable('app_user').set({ phone: '0977111222' }).where('id', '=', userId).execute();
		await assignCourse(h.db, { userId, courseSlug: K, dueAt: due('2026-07-01'), assignedBy: admin });
		await assignCourse(h.db, { userId, courseSlug: ONE, assignedBy: admin });
		let items = await itemsOf(userId);
		expect(items.map((a) => [a.courseTitle, a.learnerLogin, a.dueAt, a.done])).toEqual([
			['Khóa một bài', '0977111222', null, false],
			['Khóa kiểm thử học tập', '0977111222', new Date('2026-07-01T16:59:59.999Z'), false]
		]);

		const { record } = await passOne(userId);
		items = await itemsOf(userId);
		expect(items.find((a) => a.courseSlug === ONE)).toMatchObject({ done: true, recordRevoked: false });
		expect(items.find((a) => a.courseSlug === K)).toMatchObject({ done: false });

		await revokeRecord(h.db, record!.code, 'Thi hộ', admin);
		expect((await itemsOf(userId)).find((a) => a.courseSlug === ONE)).toMatchObject({ done: true, recordRevoked: true });

		const { total } = await listAssignments(h.db);
		const limited = await listAssignments(h.db, 1);
		expect(limited.items).toHaveLength(1);
		expect(limited.total).toBe(total);
	});

	test('removing an assignment says whose it was; removing it again finds nothing; progress stays', async () => {
		const userId = await createLearner(h.db, { name: 'Vi Văn Bảy' });
		await assignCourse(h.db, { userId, courseSlug: ONE, assignedBy: admin });
		await passOne(userId);
		const [item] = await itemsOf(userId);
		expect(await removeAssignment(h.db, item.id)).toMatchObject({ learnerName: 'Vi Văn Bảy', courseTitle: 'Khóa một bài' });
		expect(await removeAssignment(h.db, item.id)).toBeUndefined();
		expect(await itemsOf(userId)).toEqual([]);
		expect(await listMyAssignments(h.db, userId)).toEqual([]);
		expect((await listCourseProgress(h.db, userId)).get(ONE)).toMatchObject({ completed: true, record: { revoked: false } });
	});

	test('assignments of deleted accounts are not listed', async () => {
		const userId = await createLearner(h.db, { name: 'Người sẽ xóa' });
		await assignCourse(h.db, { userId, courseSlug: K, assignedBy: admin });
		const before = (await listAssignments(h.db)).total;
		await h.db.transaction().execute((trx) => anonymizeUser(trx, userId));
		expect((await listAssignments(h.db)).total).toBe(before - 1);
	});
});
