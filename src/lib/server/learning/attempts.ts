import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { AttemptQuestionResult, QuizAttemptTable } from '../db/schema-learning';
import { getContent, type PublishedContent } from '../content';
import { gradeQuestion, gradeQuiz } from '../content/gift/grade';
import { keepValidResponses } from '../content/gift/responses';
import type { GiftQuestion, GradeResult, QuizResponse } from '../content/gift/types';
import { isMissingLearnerError, LearnerGoneError, learnerLock } from './lock';
import { findRecordOfCourse, issueRecordIfComplete, type CompletionRecord } from './records';

export interface SubmitQuizInput {
	userId: number;
	courseSlug: string;
	lessonSlug: string;
	/** Random key rendered into the quiz form: the same form sent twice records one attempt. */
	submissionKey: string;
	/** Keyed by question id, as readQuizResponses reads the form. */
	responses: Record<string, QuizResponse>;
}

export interface StoredAttempt {
	id: number;
	userId: number;
	courseId: number;
	lessonId: number;
	lessonVersionId: number;
	submissionKey: string;
	score: number;
	passed: boolean;
	responses: Record<string, QuizResponse>;
	results: Record<string, AttemptQuestionResult>;
	createdAt: Date;
}

export interface SubmitQuizResult {
	attempt: StoredAttempt;
	/** False when this submission key was already recorded: the stored attempt is returned unchanged. */
	created: boolean;
	/** Per question, with the feedback the learner gets (server-side text; render before sending). */
	grades: Record<string, GradeResult>;
	/** The learner's record for the course when they have one (issued now or earlier). */
	record?: CompletionRecord;
}

export class QuizNotFoundError extends Error {}

/** Submission keys come from our forms; anything else is refused before it reaches the database. */
export function isValidSubmissionKey(key: unknown): key is string {
	return typeof key === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(key);
}

const ATTEMPT_COLUMNS = [
	'id',
	'user_id',
	'course_id',
	'lesson_id',
	'lesson_version_id',
	'submission_key',
	'score',
	'passed',
	'responses',
	'results',
	'created_at'
] as const;

type AttemptRow = Selectable<QuizAttemptTable>;

function toAttempt(r: AttemptRow): StoredAttempt {
	return {
		id: r.id,
		userId: r.user_id,
		courseId: r.course_id,
		lessonId: r.lesson_id,
		lessonVersionId: r.lesson_version_id,
		submissionKey: r.submission_key,
		score: r.score,
		passed: r.passed,
		responses: r.responses as Record<string, QuizResponse>,
		results: r.results as Record<string, AttemptQuestionResult>,
		createdAt: r.created_at
	};
}

/**
 * Grades a quiz on the server against the questions published now, stores the attempt once per submission
 * key, and in the same transaction records the lesson as read (and passed, at or above the lesson's pass mark,
 * the best score counting) and issues the course record when the course is now complete.
 * A resend of the same key returns the attempt stored the first time.
 */
export async function submitQuiz(db: Kysely<Database>, input: SubmitQuizInput, published?: PublishedContent): Promise<SubmitQuizResult> {
	const content = published ?? (await getContent());
	const course = content.courses.find((c) => c.slug === input.courseSlug);
	const lesson = course?.lessons.find((l) => l.slug === input.lessonSlug);
	const courseRef = content.ids.courses.get(input.courseSlug);
	const lessonRef = content.ids.lessons.get(`${input.courseSlug}/${input.lessonSlug}`);
	if (!course || !lesson || !courseRef || !lessonRef || !lesson.questions.length) throw new QuizNotFoundError(`${input.courseSlug}/${input.lessonSlug}`);
	if (!isValidSubmissionKey(input.submissionKey)) throw new Error('Invalid submission key');

	// Only answers to this lesson's questions, with keys they offer and bounded text, are graded and kept.
	const responses = keepValidResponses(lesson.questions, input.responses);
	const grade = gradeQuiz(lesson.questions, responses);
	const results: Record<string, AttemptQuestionResult> = {};
	for (const [id, r] of Object.entries(grade.results)) {
		const ref = content.ids.questions.get(`${course.slug}/${id}`);
		if (!ref) throw new Error(`Question ${course.slug}/${id} is not published`);
		results[id] = { fraction: r.fraction, state: r.state, question_version_id: ref.versionId };
	}
	const passed = grade.score >= lesson.passMark;

	try {
		return await storeAttempt(db, input, { lesson, courseRef, lessonRef, grade, results, responses, passed });
	} catch (e) {
		if (isMissingLearnerError(e)) throw new LearnerGoneError(input.userId);
		throw e;
	}
}

async function storeAttempt(
	db: Kysely<Database>,
	input: SubmitQuizInput,
	graded: {
		lesson: { questions: GiftQuestion[] };
		courseRef: { id: number };
		lessonRef: { id: number; versionId: number };
		grade: { score: number; results: Record<string, GradeResult> };
		results: Record<string, AttemptQuestionResult>;
		responses: Record<string, QuizResponse>;
		passed: boolean;
	}
): Promise<SubmitQuizResult> {
	const { lesson, courseRef, lessonRef, grade, results, responses, passed } = graded;
	return db.transaction().execute(async (trx) => {
		// One statement (the hot path of every submission): take the learner's lock, store the attempt unless
		// this key was stored before, and record the lesson as read (and passed) keeping the best score. `prev`
		// is the lesson's progress as it was before this statement.
		const { rows } = await sql<{ id: number; created_at: Date; had_progress: boolean; prev_read_at: Date | null; prev_passed_at: Date | null }>`
			with locked as (select ${learnerLock(input.userId)}),
			ins as (
				insert into quiz_attempt (user_id, course_id, lesson_id, lesson_version_id, submission_key, score, passed, responses, results)
				select ${input.userId}, ${courseRef.id}, ${lessonRef.id}, ${lessonRef.versionId}, ${input.submissionKey}, ${grade.score},
					${passed}, ${JSON.stringify(responses)}::jsonb, ${JSON.stringify(results)}::jsonb
				from locked
				on conflict (user_id, submission_key) do nothing
				returning id, created_at
			),
			prev as (select read_at, passed_at from lesson_progress where user_id = ${input.userId} and lesson_id = ${lessonRef.id}),
			up as (
				insert into lesson_progress (user_id, lesson_id, course_id, lesson_version_id, read_at, passed_at, best_score, updated_at)
				select ${input.userId}, ${lessonRef.id}, ${courseRef.id}, ${lessonRef.versionId}, now(), case when ${passed} then now() end, ${grade.score}, now()
				from ins
				on conflict (user_id, lesson_id) do update set
					read_at = coalesce(lesson_progress.read_at, excluded.read_at),
					passed_at = coalesce(lesson_progress.passed_at, excluded.passed_at),
					best_score = greatest(lesson_progress.best_score, excluded.best_score),
					lesson_version_id = excluded.lesson_version_id,
					updated_at = excluded.updated_at
				returning 1
			)
			select ins.id, ins.created_at, exists (select 1 from prev) as had_progress,
				(select read_at from prev) as prev_read_at, (select passed_at from prev) as prev_passed_at
			from ins
		`.execute(trx);
		const inserted = rows[0];
		if (!inserted) {
			const stored = await trx
				.selectFrom('quiz_attempt')
				.select(ATTEMPT_COLUMNS)
				.where('user_id', '=', input.userId)
				.where('submission_key', '=', input.submissionKey)
				.executeTakeFirstOrThrow();
			const attempt = toAttempt(stored);
			// Progress and record were handled when this key was first recorded; only show the record again.
			const record = attempt.passed ? await findRecordOfCourse(trx, input.userId, courseRef.id) : undefined;
			return { attempt, created: false, grades: regrade(lesson.questions, attempt), record };
		}
		const attempt: StoredAttempt = {
			id: inserted.id,
			userId: input.userId,
			courseId: courseRef.id,
			lessonId: lessonRef.id,
			lessonVersionId: lessonRef.versionId,
			submissionKey: input.submissionKey,
			score: grade.score,
			passed,
			responses,
			results,
			createdAt: new Date(inserted.created_at)
		};
		// Completion can only change when the lesson becomes read or passed now; otherwise skip the course check
		// (most attempts are retries of a lesson already read).
		const changed = !inserted.had_progress || inserted.prev_read_at === null || (passed && inserted.prev_passed_at === null);
		const record = changed
			? await issueRecordIfComplete(trx, input.userId, input.courseSlug)
			: passed
				? await findRecordOfCourse(trx, input.userId, courseRef.id)
				: undefined;
		return { attempt, created: true, grades: grade.results, record };
	});
}

/** A quiz graded but not stored: what a visitor who has kept nothing yet sees after a submission. */
export interface GradedSubmission {
	score: number;
	passed: boolean;
	responses: Record<string, QuizResponse>;
	grades: Record<string, GradeResult>;
}

/**
 * Grades a submission against the questions published now without writing anything (the same grading and the
 * same answer checks as submitQuiz).
 */
export async function gradeSubmission(
	input: Pick<SubmitQuizInput, 'courseSlug' | 'lessonSlug' | 'responses'>,
	published?: PublishedContent
): Promise<GradedSubmission> {
	const content = published ?? (await getContent());
	const lesson = content.courses.find((c) => c.slug === input.courseSlug)?.lessons.find((l) => l.slug === input.lessonSlug);
	if (!lesson || !lesson.questions.length) throw new QuizNotFoundError(`${input.courseSlug}/${input.lessonSlug}`);
	const responses = keepValidResponses(lesson.questions, input.responses);
	const grade = gradeQuiz(lesson.questions, responses);
	return { score: grade.score, passed: grade.score >= lesson.passMark, responses, grades: grade.results };
}

/**
 * Feedback for a stored attempt: its stored score and states, with the feedback of the questions as published
 * now (the same as when graded unless the trainer has since edited the question).
 */
function regrade(questions: GiftQuestion[], attempt: StoredAttempt): Record<string, GradeResult> {
	const out: Record<string, GradeResult> = {};
	for (const q of questions) {
		const stored = attempt.results[q.id];
		if (!stored) continue;
		const r = gradeQuestion(q, attempt.responses[q.id]);
		out[q.id] = { ...r, fraction: stored.fraction, state: stored.state as GradeResult['state'] };
	}
	return out;
}

/** The learner's attempts at one lesson's quiz, newest first. */
export async function listAttempts(db: Kysely<Database> | Transaction<Database>, userId: number, lessonId: number): Promise<StoredAttempt[]> {
	const rows = await db
		.selectFrom('quiz_attempt')
		.select(ATTEMPT_COLUMNS)
		.where('user_id', '=', userId)
		.where('lesson_id', '=', lessonId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	return rows.map(toAttempt);
}

/** A fresh key for a quiz form: 144 random bits, URL-safe. */
export function newSubmissionKey(): string {
	return randomBytes(18).toString('base64url');
}

/**
 * One of the learner's own attempts at a lesson's quiz, with its feedback and the course record if the learner
 * has one: what the lesson page shows after a submission. Undefined when the attempt is not this learner's or not
 * of this lesson.
 */
export async function findAttemptResult(
	db: Kysely<Database>,
	userId: number,
	courseSlug: string,
	lessonSlug: string,
	attemptId: number,
	published?: PublishedContent
): Promise<Omit<SubmitQuizResult, 'created'> | undefined> {
	const content = published ?? (await getContent());
	const lesson = content.courses.find((c) => c.slug === courseSlug)?.lessons.find((l) => l.slug === lessonSlug);
	const lessonRef = content.ids.lessons.get(`${courseSlug}/${lessonSlug}`);
	if (!lesson || !lessonRef || !Number.isSafeInteger(attemptId)) return undefined;
	const row = await db
		.selectFrom('quiz_attempt')
		.select(ATTEMPT_COLUMNS)
		.where('id', '=', attemptId)
		.where('user_id', '=', userId)
		.where('lesson_id', '=', lessonRef.id)
		.executeTakeFirst();
	if (!row) return undefined;
	const attempt = toAttempt(row);
	const record = attempt.passed ? await findRecordOfCourse(db, userId, attempt.courseId) : undefined;
	return { attempt, grades: regrade(lesson.questions, attempt), record };
}
