import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createLearner, findQuestions, newKey } from './support/learning';
import { loadContent } from '../../src/lib/server/content/loader';
import { syncContent } from '../../src/lib/server/content/sync';
import type { PublishedContent } from '../../src/lib/server/content';
import { findAttemptResult, submitQuiz } from '../../src/lib/server/learning/attempts';
import type { DbHandle } from '../../src/lib/server/db';

const COURSE = 'khoa-mot-bai';
const LESSON = 'bai-duy-nhat';

// Publishing an edited lesson must not break what learners already did: their attempts keep pointing at the
// version they answered, their records stay as issued, and new attempts use the new version.
describe(`editing a published lesson while people learn (${testDbKind})`, () => {
	let h: DbHandle;
	let root: string;
	const publish = async (): Promise<PublishedContent> => {
		const content = loadContent(root);
		expect(content.problems.filter((p) => p.severity === 'error')).toEqual([]);
		return { ...content, ids: await syncContent(h.db, content) };
	};
	const submit = async (content: PublishedContent, userId: number, value: string) => {
		const q = findQuestions(content, COURSE, LESSON).get('m-1')!;
		return submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: { 'm-1': answer(q, value) } }, content);
	};

	beforeAll(async () => {
		h = await createTestDatabase();
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-edit-'));
		fs.cpSync('tests/fixtures/content', root, { recursive: true });
	});
	afterAll(async () => {
		await h?.close();
		fs.rmSync(root, { recursive: true, force: true });
	});

	test('attempts and records made before an edit stay as they were; new attempts use the new version', async () => {
		const before = await publish();
		const passer = await createLearner(h.db);
		const retrier = await createLearner(h.db);
		const passed = await submit(before, passer, 'true');
		expect(passed.record).toBeDefined();
		const failed = await submit(before, retrier, 'false');
		expect(failed.attempt.passed).toBe(false);

		const file = path.join(root, 'courses/02-khoa-mot-bai/01-bai-duy-nhat.md');
		fs.writeFileSync(
			file,
			fs
				.readFileSync(file, 'utf8')
				.replace('Một câu hỏi.', 'Một câu hỏi, đã sửa lời.')
				.replace('bật và tắt máy. {T}', 'bật, tắt máy và khóa màn hình. {T}')
		);
		const after = await publish();
		const lessonBefore = before.ids.lessons.get(`${COURSE}/${LESSON}`)!;
		const lessonAfter = after.ids.lessons.get(`${COURSE}/${LESSON}`)!;
		expect(lessonAfter.id).toBe(lessonBefore.id);
		expect(lessonAfter.versionId).not.toBe(lessonBefore.versionId);
		const qBefore = before.ids.questions.get(`${COURSE}/m-1`)!;
		const qAfter = after.ids.questions.get(`${COURSE}/m-1`)!;
		expect(qAfter.id).toBe(qBefore.id);
		expect(qAfter.versionId).not.toBe(qBefore.versionId);

		// The earlier attempts still name what was answered, and can still be shown to their owner.
		const old = await h.db.selectFrom('quiz_attempt').selectAll().where('id', '=', passed.attempt.id).executeTakeFirstOrThrow();
		expect(old.lesson_version_id).toBe(lessonBefore.versionId);
		expect((old.results as Record<string, { question_version_id: number }>)['m-1'].question_version_id).toBe(qBefore.versionId);
		const shown = await findAttemptResult(h.db, passer, COURSE, LESSON, passed.attempt.id, after);
		expect(shown?.attempt.score).toBe(100);

		// The record issued before the edit is unchanged and still the only one.
		const records = await h.db.selectFrom('completion_record').selectAll().where('user_id', '=', passer).execute();
		expect(records).toHaveLength(1);
		expect(records[0].course_version_id).toBe(before.ids.courses.get(COURSE)!.versionId);

		// The learner who failed retries on the new version, passes, and gets a record of the new course version.
		const retry = await submit(after, retrier, 'true');
		expect(retry.attempt.passed).toBe(true);
		expect(retry.attempt.lessonVersionId).toBe(lessonAfter.versionId);
		expect(retry.attempt.results['m-1'].question_version_id).toBe(qAfter.versionId);
		expect(retry.record).toBeDefined();
		const retrierRecord = await h.db.selectFrom('completion_record').selectAll().where('user_id', '=', retrier).executeTakeFirstOrThrow();
		expect(retrierRecord.course_version_id).toBe(after.ids.courses.get(COURSE)!.versionId);
		const attempts = await h.db.selectFrom('quiz_attempt').select('id').where('user_id', '=', retrier).execute();
		expect(attempts).toHaveLength(2);
	});
});
