import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { findAttemptResult } from './attempts';
import { listCourseProgress } from './progress';
import { formatScore, toResultViews, type QuestionResultView } from './quiz-view';
import { formatRecordCode } from './record-code';
import type { QuizResponse } from '../content/gift/types';

/** Query parameter naming the attempt whose result the lesson page shows (after a submission redirects there). */
export const ATTEMPT_PARAM = 'lan-lam';

/** A quiz result as the lesson page shows it (QuizResultNotice and QuizFields). */
export interface ResultView {
	score: number;
	scoreText: string;
	passed: boolean;
	passMark: number;
	responses: Record<string, QuizResponse>;
	results: Record<string, QuestionResultView>;
	guest: boolean;
	saved: boolean;
	completed: boolean;
	recordCode: string | null;
}

/** After the last step of a course: the record to open, or for a guest the invitation to register for one. */
export async function completionView(db: Kysely<Database>, userId: number, kind: 'guest' | 'learner', courseSlug: string, record: { code: string } | undefined) {
	if (record) return { completed: true, recordCode: formatRecordCode(record.code) };
	if (kind !== 'guest') return { completed: false, recordCode: null };
	const progress = (await listCourseProgress(db, userId)).get(courseSlug);
	return { completed: progress?.completed ?? false, recordCode: null };
}

/**
 * One of the reader's own stored attempts at a lesson's quiz, as the page shows it after a submission; undefined
 * when the attempt is not theirs or not of this lesson (the page then shows the quiz as new).
 */
export async function storedResultView(
	db: Kysely<Database>,
	user: { id: number; kind: 'guest' | 'learner' },
	courseSlug: string,
	lessonSlug: string,
	attemptId: number,
	passMark: number
): Promise<ResultView | undefined> {
	const result = await findAttemptResult(db, user.id, courseSlug, lessonSlug, attemptId);
	if (!result) return undefined;
	const { attempt } = result;
	return {
		score: attempt.score,
		scoreText: formatScore(attempt.score),
		passed: attempt.passed,
		passMark,
		responses: attempt.responses,
		results: await toResultViews(result.grades),
		guest: user.kind === 'guest',
		saved: true,
		...(attempt.passed ? await completionView(db, user.id, user.kind, courseSlug, result.record) : { completed: false, recordCode: null })
	};
}
