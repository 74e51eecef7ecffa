import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { AttemptQuestionResult, QuizAttemptTable } from '../db/schema-learning';
import { getContent, type Course, type Lesson, type PublishedContent, type VersionRef } from '../content';
import { SESSION_RENEW_DAYS, type SessionUserRow } from '../auth/session';
import { rolesOfU } from '../auth/user';
import { gradeQuestion, gradeQuiz } from '../content/gift/grade';
import { keepValidResponses } from '../content/gift/responses';
import type { GiftQuestion, GradeResult, QuizResponse } from '../content/gift/types';
import { isMissingLearnerError, LearnerGoneError, learnerLock, lockLearner } from './lock';
import {
	courseStateOf,
	courseStateStatement,
	findRecordOfCourse,
	issueRecordFor,
	issueRecordIfComplete,
	recordOf,
	recordStatement,
	type CompletionRecord,
	type RecordRow
} from './records';
import { lessonProgressStatement } from '../analytics/counters';
import { precompiled } from '../db/prepared';
import { prepareTogether, runTogether, runTogetherAtomically } from '../db/pipeline';
import { isId } from '../../ids';
import { rulesNeedQuizPassed, type CompletionRule } from './completion';

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

/** What grading one lesson's quiz needs, worked out once per published content version (see quizKeyOf). */
interface QuizKey {
	course: Course;
	lesson: Lesson;
	courseRef: VersionRef;
	lessonRef: VersionRef;
	/** The published version of each of the lesson's questions, by question id. */
	questionVersions: Map<string, number>;
}

const quizKeys = new WeakMap<PublishedContent, Map<string, QuizKey | null>>();

/** The grading key of a lesson's quiz in this content version, or null when the lesson has no published quiz. */
function quizKeyOf(content: PublishedContent, courseSlug: string, lessonSlug: string): QuizKey | null {
	let keys = quizKeys.get(content);
	if (!keys) quizKeys.set(content, (keys = new Map()));
	const name = `${courseSlug}/${lessonSlug}`;
	const known = keys.get(name);
	if (known !== undefined) return known;
	const course = content.courses.find((c) => c.slug === courseSlug);
	const lesson = course?.lessons.find((l) => l.slug === lessonSlug);
	const courseRef = content.ids.courses.get(courseSlug);
	const lessonRef = content.ids.lessons.get(name);
	let key: QuizKey | null = null;
	if (course && lesson && courseRef && lessonRef && lesson.questions.length) {
		const questionVersions = new Map<string, number>();
		for (const q of lesson.questions) {
			const ref = content.ids.questions.get(`${course.slug}/${q.id}`);
			if (ref) questionVersions.set(q.id, ref.versionId);
		}
		key = { course, lesson, courseRef, lessonRef, questionVersions };
	}
	// Only slugs of published lessons are kept: an address made up by a visitor leaves nothing behind.
	if (key) keys.set(name, key);
	return key;
}

/** A submission graded for storing (what submitQuizInOneStatement hands on when submitQuiz must store it). */
export type GradedAttempt = Parameters<typeof storeAttempt>[2];

/** Grades a submission for storing; throws QuizNotFoundError or on a key that is not ours. */
function gradeForStore(content: PublishedContent, input: Omit<SubmitQuizInput, 'userId'>): GradedAttempt {
	const key = quizKeyOf(content, input.courseSlug, input.lessonSlug);
	if (!key) throw new QuizNotFoundError(`${input.courseSlug}/${input.lessonSlug}`);
	if (!isValidSubmissionKey(input.submissionKey)) throw new Error('Invalid submission key');
	const { lesson, courseRef, lessonRef } = key;
	// Only answers to this lesson's questions, with keys they offer and bounded text, are graded and kept.
	const responses = keepValidResponses(lesson.questions, input.responses);
	const grade = gradeQuiz(lesson.questions, responses);
	const results: Record<string, AttemptQuestionResult> = {};
	for (const [id, r] of Object.entries(grade.results)) {
		const versionId = key.questionVersions.get(id);
		if (versionId === undefined) throw new Error(`Question ${key.course.slug}/${id} is not published`);
		results[id] = { fraction: r.fraction, state: r.state, question_version_id: versionId };
	}
	return { lesson, courseRef, lessonRef, rule: key.course.completion, grade, results, responses, passed: grade.score >= lesson.passMark };
}

/**
 * Grades a quiz on the server against the questions published now, stores the attempt once per submission
 * key, and in the same transaction records the lesson as read (and passed, at or above the lesson's pass mark,
 * the best score counting) and issues the course record when the course is now complete.
 * A resend of the same key returns the attempt stored the first time.
 */
export async function submitQuiz(
	db: Kysely<Database>,
	input: SubmitQuizInput,
	published?: PublishedContent,
	/** This input as submitQuizInOneStatement graded it ('session-only'), so that it is not graded twice. */
	gradedBefore?: GradedAttempt
): Promise<SubmitQuizResult> {
	const graded = gradedBefore ?? gradeForStore(published ?? (await getContent()), input);
	try {
		return await storeAttempt(db, input, graded);
	} catch (e) {
		if (isMissingLearnerError(e)) throw new LearnerGoneError(input.userId);
		throw e;
	}
}

export type QuickSubmission =
	/** No session that can be used as it is (none, expired, its user deleted, or due for renewal): nothing written. */
	| { outcome: 'no-session' }
	/** The session is valid, but this submission needs submitQuiz (see submitQuizInOneStatement): nothing written. */
	| { outcome: 'session-only'; row: SessionUserRow; graded: GradedAttempt }
	/** Stored (or found stored under this key): the attempt's id. */
	| { outcome: 'stored'; row: SessionUserRow; attemptId: number };

/**
 * The common case of a quiz submission in ONE statement and round trip: checks the session, takes the learner's
 * lock, stores the attempt (once per submission key) and keeps the lesson's best score. It writes only when this
 * attempt cannot change whether the lesson is read or passed (the learner has read it, and passed it already if
 * this attempt passes), so it cannot change the course's completion either, and when it is not the learner's first
 * attempt at the lesson for the trainers' analytics (their lesson_open row has its first attempt, or they have none:
 * a guest): that is what progress looks like for most submissions, retries of a quiz already tried. Everything else
 * (a first attempt, the first after reading the lesson, a first pass, a resend of a key stored a moment ago, a
 * session to renew) writes nothing here and answers what submitQuiz (after validateSessionToken) must then do, in
 * its transaction. So no submission here needs the analytics' question items, which are not made for it.
 * Why only then: the statement's snapshot is taken before the lock is granted, so it may show progress a little
 * older than it is; progress only grows (read and passed are kept once set), so an older row that already says
 * "read and passed" is still true, while an older "not read yet" could hide a concurrent completion. The same holds
 * for the first attempt in lesson_open, which once set is kept.
 */
export async function submitQuizInOneStatement(
	db: Kysely<Database>,
	input: Omit<SubmitQuizInput, 'userId'> & { sessionId: string },
	published?: PublishedContent
): Promise<QuickSubmission> {
	const graded = gradeForStore(published ?? (await getContent()), input);
	const { courseRef, lessonRef, grade, results, responses, passed } = graded;
	// A session due for renewal goes the long way (validateSessionToken renews it and the cookie is sent again).
	const renewBefore = new Date(Date.now() + SESSION_RENEW_DAYS * 24 * 60 * 60 * 1000);
	let rows: QuickRow[];
	try {
		({ rows } = await quickSubmission.run(
			db,
			input.sessionId,
			renewBefore,
			lessonRef.id,
			passed,
			courseRef.id,
			lessonRef.versionId,
			input.submissionKey,
			grade.score,
			JSON.stringify(responses),
			JSON.stringify(results)
		));
	} catch (e) {
		// The learner was removed (a guest who logged in elsewhere) between the session check and the insert.
		if (isMissingLearnerError(e)) return { outcome: 'no-session' };
		throw e;
	}
	const row = rows[0];
	if (!row) return { outcome: 'no-session' };
	row.expires_at = new Date(row.expires_at);
	return row.attempt_id === null ? { outcome: 'session-only', row, graded } : { outcome: 'stored', row, attemptId: row.attempt_id };
}

type QuickRow = SessionUserRow & { attempt_id: number | null };

/** The statement of submitQuizInOneStatement, compiled once (and prepared once per PostgreSQL connection). */
const quickSubmission = precompiled(
	'quiz_submission',
	10,
	(
		sessionId: string,
		renewBefore: Date,
		lessonId: number,
		passed: boolean,
		courseId: number,
		versionId: number,
		submissionKey: string,
		score: number,
		responses: string,
		results: string
	) => sql<QuickRow>`
			with s as (
				select s.id, s.user_id, s.expires_at, u.kind, u.full_name, u.audience, u.unit_id, u.deleted_at, ${rolesOfU} as roles
				from user_session s join app_user u on u.id = s.user_id
				where s.id = ${sessionId} and s.expires_at >= ${renewBefore} and u.deleted_at is null
			),
			go as (
				select s.user_id from s
				join lesson_progress p on p.user_id = s.user_id and p.lesson_id = ${lessonId}
				where p.read_at is not null and (not ${passed} or p.passed_at is not null)
					and not exists (
						select 1 from lesson_open o
						where o.user_id = s.user_id and o.lesson_id = ${lessonId} and o.first_attempt_id is null
					)
			),
			locked as (select go.user_id, ${learnerLock(sql.ref('go.user_id'))} from go),
			ins as (
				insert into quiz_attempt (user_id, course_id, lesson_id, lesson_version_id, submission_key, score, passed, responses, results)
				select locked.user_id, ${courseId}, ${lessonId}, ${versionId}, ${submissionKey}, ${score},
					${passed}, ${responses}::jsonb, ${results}::jsonb
				from locked
				on conflict (user_id, submission_key) do nothing
				returning id, user_id
			),
			up as (
				update lesson_progress p set best_score = greatest(p.best_score, ${score}), lesson_version_id = ${versionId}, updated_at = now()
				from ins where p.user_id = ins.user_id and p.lesson_id = ${lessonId}
				returning 1
			),
			earlier as (select q.id from quiz_attempt q join go on q.user_id = go.user_id where q.submission_key = ${submissionKey})
			select s.*, coalesce((select id from ins), (select id from earlier)) as attempt_id from s
		`
);

/** The first statement of storeAttempt, compiled once (and prepared once per PostgreSQL connection). */
const attemptWithProgress = precompiled(
	'quiz_attempt_with_progress',
	9,
	(userId: number, courseId: number, lessonId: number, versionId: number, submissionKey: string, score: number, passed: boolean, responses: string, results: string) => sql<StoredRow>`
			with locked as (select ${learnerLock(userId)}),
			ins as (
				insert into quiz_attempt (user_id, course_id, lesson_id, lesson_version_id, submission_key, score, passed, responses, results)
				select ${userId}, ${courseId}, ${lessonId}, ${versionId}, ${submissionKey}, ${score},
					${passed}, ${responses}::jsonb, ${results}::jsonb
				from locked
				on conflict (user_id, submission_key) do nothing
				returning id, created_at
			),
			prev as (select read_at, passed_at from lesson_progress where user_id = ${userId} and lesson_id = ${lessonId}),
			up as (
				insert into lesson_progress (user_id, lesson_id, course_id, lesson_version_id, read_at, passed_at, best_score, updated_at)
				select ${userId}, ${lessonId}, ${courseId}, ${versionId}, now(), case when ${passed} then now() end, ${score}, now()
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
		`
);

/**
 * Readies a connection for quiz submissions (see warmConnections): prepares the statements that store an attempt,
 * and runs the one-statement submission and the result page's statement once, with a session and an attempt that
 * do not exist: they find nothing and write nothing, and the connection has them parsed and planned.
 */
export async function readyQuizStatements(db: Kysely<Database> | Transaction<Database>): Promise<void> {
	await prepareTogether(db, [
		attemptWithProgress.bind(db, 0, 0, 0, 0, '', 0, false, '{}', '{}'),
		lessonProgressStatement(db, { userId: 0, lessonId: 0, courseId: 0, passed: false }),
		courseStateStatement(db, 0, ''),
		recordStatement(db, 0, 0)
	]);
	await quickSubmission.run(db, '', new Date(), 0, false, 0, 0, '', 0, '{}', '{}');
	await attemptWithRecord.run(db, 0, 0, 0);
}

async function storeAttempt(
	db: Kysely<Database>,
	input: SubmitQuizInput,
	graded: {
		lesson: { questions: GiftQuestion[] };
		courseRef: { id: number };
		lessonRef: { id: number; versionId: number };
		/** The course's completion rule as published (the content the attempt was graded against). */
		rule: CompletionRule;
		grade: { score: number; results: Record<string, GradeResult> };
		results: Record<string, AttemptQuestionResult>;
		responses: Record<string, QuizResponse>;
		passed: boolean;
	}
): Promise<SubmitQuizResult> {
	const { lesson, courseRef, lessonRef, rule, grade, results, responses, passed } = graded;
	// Two statements, sent together (one round trip on a PostgreSQL server, see runTogether). The first takes the
	// learner's lock, stores the attempt unless this key was stored before, and records the lesson as read (and
	// passed) keeping the best score; `prev` is the lesson's progress as it was before it. The second, whose snapshot
	// follows the lock, counts the trainers' analytics (the funnel, the time to read, and the questions of a first
	// attempt) for the attempt the first stored, if any.
	const statements = (ex: Kysely<Database> | Transaction<Database>) =>
		[
			attemptWithProgress.bind(ex, input.userId, courseRef.id, lessonRef.id, lessonRef.versionId, input.submissionKey, grade.score, passed, JSON.stringify(responses), JSON.stringify(results)),
			lessonProgressStatement(ex, {
				userId: input.userId,
				lessonId: lessonRef.id,
				courseId: courseRef.id,
				passed,
				attempt: { submissionKey: input.submissionKey, score: grade.score, questions: lesson.questions, responses, results }
			})
		] as const;
	const storedAttempt = (inserted: StoredRow): StoredAttempt => ({
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
	});
	// Completion can only change when the lesson becomes read or passed now; otherwise skip the course check
	// (most attempts are retries of a lesson already read). A lesson read now but still not passed (a first
	// attempt that fails) cannot complete a course whose rule needs its quiz passed: no check either.
	// Note: `prev` may be a moment older than the lock; a pass it does not show was made by a submission that
	// held the lock before this one and checked the course itself.
	const needsCourseCheck = (inserted: StoredRow) => {
		const changed = !inserted.had_progress || inserted.prev_read_at === null || (passed && inserted.prev_passed_at === null);
		const stillNotPassed = !passed && inserted.prev_passed_at === null;
		return changed && !(stillNotPassed && rulesNeedQuizPassed(rule));
	};

	if (!passed && rulesNeedQuizPassed(rule)) {
		// An attempt that fails, in a course whose rule needs quizzes passed, cannot complete the course: the two
		// statements are the whole transaction (on a server, the implicit one of their round trip).
		const [rows] = await runTogetherAtomically(db, statements);
		const inserted = rows[0];
		if (!inserted) return storedBefore(db, input, lesson.questions, courseRef.id);
		// A lesson passed but never read could still be completed by reading it now: no path records a pass without
		// the read, but if one did, the course is checked here, under the lock again.
		const record = needsCourseCheck(inserted)
			? await db.transaction().execute(async (trx) => {
					await lockLearner(trx, input.userId);
					return issueRecordIfComplete(trx, input.userId, input.courseSlug);
				})
			: undefined;
		return { attempt: storedAttempt(inserted), created: true, grades: grade.results, record };
	}
	return db.transaction().execute(async (trx) => {
		// An attempt that may complete the course: the course with the learner's progress (as the attempt leaves it)
		// and their record are read by two more statements sent with the first two, in the same round trip.
		const [rows, , stateRows, recordRows] = await runTogether(trx, [
			...statements(trx),
			courseStateStatement(trx, input.userId, input.courseSlug),
			recordStatement(trx, input.userId, courseRef.id)
		]);
		const inserted = rows[0];
		if (!inserted) return storedBefore(trx, input, lesson.questions, courseRef.id);
		const existing = recordOf(recordRows);
		const state = courseStateOf(stateRows);
		const record = needsCourseCheck(inserted) ? state && (await issueRecordFor(trx, input.userId, state, existing)) : passed ? existing : undefined;
		return { attempt: storedAttempt(inserted), created: true, grades: grade.results, record };
	});
}

type StoredRow = { id: number; created_at: Date; had_progress: boolean; prev_read_at: Date | null; prev_passed_at: Date | null };

/**
 * A submission key stored before (the same form sent twice): the attempt as stored then, unchanged. Progress and
 * record were handled when the key was first recorded; only the record is shown again.
 */
async function storedBefore(db: Kysely<Database> | Transaction<Database>, input: SubmitQuizInput, questions: GiftQuestion[], courseId: number): Promise<SubmitQuizResult> {
	const stored = await db
		.selectFrom('quiz_attempt')
		.select(ATTEMPT_COLUMNS)
		.where('user_id', '=', input.userId)
		.where('submission_key', '=', input.submissionKey)
		.executeTakeFirstOrThrow();
	const attempt = toAttempt(stored);
	const record = attempt.passed ? await findRecordOfCourse(db, input.userId, courseId) : undefined;
	return { attempt, created: false, grades: regrade(questions, attempt), record };
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
 * The statement of findAttemptResult (every result page): the attempt, if it is this learner's and of this lesson,
 * and when it passed the learner's record of its course (as JSON: recordOf reads its dates), in one round trip;
 * compiled once.
 */
const attemptWithRecord = precompiled('quiz_attempt_result', 3, (attemptId: number, userId: number, lessonId: number) => sql<AttemptRow & { record: RecordRow | null }>`
	select a.id, a.user_id, a.course_id, a.lesson_id, a.lesson_version_id, a.submission_key, a.score, a.passed,
		a.responses, a.results, a.created_at,
		case when a.passed then (select to_jsonb(r) from completion_record r where r.user_id = a.user_id and r.course_id = a.course_id) end as record
	from quiz_attempt a
	where a.id = ${attemptId} and a.user_id = ${userId} and a.lesson_id = ${lessonId}
`);

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
	// Only an id a column can hold reaches the statement.
	if (!lesson || !lessonRef || !isId(attemptId)) return undefined;
	const { rows } = await attemptWithRecord.run(db, attemptId, userId, lessonRef.id);
	const row = rows[0];
	if (!row) return undefined;
	const attempt = toAttempt({ ...row, created_at: new Date(row.created_at) });
	return { attempt, grades: regrade(lesson.questions, attempt), record: row.record ? recordOf([row.record]) : undefined };
}
