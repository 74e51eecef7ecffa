import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { getContent, type PublishedContent } from '../content';
import type { Practice } from '../content/practice';
import { playMove, replayRun, type PracticeMove } from '../content/practice/play';
import { isMissingLearnerError, LearnerGoneError, lockLearner } from './lock';
import { findRecordOfCourse, issueRecordIfComplete, type CompletionRecord } from './records';

export class PracticeNotFoundError extends Error {}

interface PracticeRef {
	userId: number;
	courseSlug: string;
	lessonSlug: string;
	practiceId: string;
	/** Random key of the run, rendered into its first page (or made by the script): one run however often sent. */
	runKey: string;
}

export interface PracticeResult {
	/** The move was counted: the run had reached its step (false for a step opened by its address alone). */
	counted: boolean;
	/** The learner has completed this practice (now or before). */
	completed: boolean;
	/** The course record, when the learner holds one (issued now or earlier). */
	record?: CompletionRecord;
}

async function resolve(ref: PracticeRef, published?: PublishedContent) {
	const content = published ?? (await getContent());
	const course = content.courses.find((c) => c.slug === ref.courseSlug);
	const lesson = course?.lessons.find((l) => l.slug === ref.lessonSlug);
	const practice = lesson?.practices.find((p) => p.id === ref.practiceId);
	const courseRef = content.ids.courses.get(ref.courseSlug);
	const lessonRef = content.ids.lessons.get(`${ref.courseSlug}/${ref.lessonSlug}`);
	if (!practice || !courseRef || !lessonRef) throw new PracticeNotFoundError(`${ref.courseSlug}/${ref.lessonSlug}/${ref.practiceId}`);
	return { practice, courseId: courseRef.id, lessonId: lessonRef.id, lessonVersionId: lessonRef.versionId };
}

type Resolved = Awaited<ReturnType<typeof resolve>>;

async function inLearnerTransaction<T>(db: Kysely<Database>, userId: number, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
	try {
		return await db.transaction().execute(async (trx) => {
			await lockLearner(trx, userId);
			return work(trx);
		});
	} catch (e) {
		if (isMissingLearnerError(e)) throw new LearnerGoneError(userId);
		throw e;
	}
}

/** The learner's run with this key, created at the start step if new; null when the key belongs to another practice. */
async function openRun(trx: Transaction<Database>, ref: PracticeRef, r: Resolved) {
	await trx
		.insertInto('practice_run')
		.values({
			user_id: ref.userId,
			course_id: r.courseId,
			lesson_id: r.lessonId,
			lesson_version_id: r.lessonVersionId,
			practice_key: r.practice.id,
			run_key: ref.runKey,
			steps: JSON.stringify({ [r.practice.start]: 0 })
		})
		.onConflict((oc) => oc.columns(['user_id', 'run_key']).doNothing())
		.execute();
	const run = await trx
		.selectFrom('practice_run')
		.select(['id', 'lesson_id', 'practice_key', 'steps', 'completed_at'])
		.where('user_id', '=', ref.userId)
		.where('run_key', '=', ref.runKey)
		.executeTakeFirstOrThrow();
	return run.lesson_id === r.lessonId && run.practice_key === r.practice.id ? run : null;
}

/**
 * Marks the run completed and the practice completed for the learner (once, ever: the first run to reach an end
 * counts), keeps the lesson's last activity, and issues the course record when the course rule is now met.
 * Inside the learner's transaction.
 */
async function completePractice(trx: Transaction<Database>, ref: PracticeRef, r: Resolved, runId: number): Promise<CompletionRecord | undefined> {
	await trx.updateTable('practice_run').set({ completed_at: sql`coalesce(completed_at, now())`, updated_at: sql`now()` }).where('id', '=', runId).execute();
	const inserted = await trx
		.insertInto('practice_completion')
		.values({ user_id: ref.userId, course_id: r.courseId, lesson_id: r.lessonId, practice_key: r.practice.id, run_id: runId })
		.onConflict((oc) => oc.columns(['user_id', 'lesson_id', 'practice_key']).doNothing())
		.returning('run_id')
		.executeTakeFirst();
	if (!inserted) return findRecordOfCourse(trx, ref.userId, r.courseId);
	// The lesson's last activity: "Học tiếp" and the guests' clean-up see the practice like a quiz.
	await trx
		.insertInto('lesson_progress')
		.values({ user_id: ref.userId, lesson_id: r.lessonId, course_id: r.courseId, lesson_version_id: r.lessonVersionId, updated_at: sql<Date>`now()` })
		.onConflict((oc) => oc.columns(['user_id', 'lesson_id']).doUpdateSet({ updated_at: sql`excluded.updated_at` }))
		.execute();
	return issueRecordIfComplete(trx, ref.userId, ref.courseSlug);
}

/**
 * Counts one move of a run played page by page (no JavaScript): a wrong tap, a risky choice or a refused entry adds
 * one to its step; a right one (and a risky choice) marks the next step reached; reaching an end completes the practice. A move on a step the run has
 * not reached (a step opened by its address) is not counted and completes nothing.
 */
export async function recordPracticeMove(
	db: Kysely<Database>,
	ref: PracticeRef,
	move: PracticeMove,
	published?: PublishedContent
): Promise<PracticeResult> {
	const r = await resolve(ref, published);
	const outcome = playMove(r.practice, move);
	if (!outcome) return { counted: false, completed: false };
	return inLearnerTransaction(db, ref.userId, async (trx) => {
		const run = await openRun(trx, ref, r);
		const steps = run?.steps ?? {};
		if (!run || !Object.hasOwn(steps, move.step) || r.practice.steps[move.step].end) {
			return { counted: false, completed: await hasCompleted(trx, ref.userId, r.lessonId, r.practice.id) };
		}
		const next = { ...steps };
		if (!outcome.right || outcome.risky) next[move.step] = (next[move.step] ?? 0) + 1;
		if (outcome.right) next[outcome.to] ??= 0;
		await trx.updateTable('practice_run').set({ steps: JSON.stringify(next), updated_at: sql`now()` }).where('id', '=', run.id).execute();
		if (outcome.right && outcome.end) {
			const record = await completePractice(trx, ref, r, run.id);
			return { counted: true, completed: true, record };
		}
		return { counted: true, completed: await hasCompleted(trx, ref.userId, r.lessonId, r.practice.id) };
	});
}

export type RunResult = ({ ok: true } & PracticeResult) | { ok: false; reason: string };

/**
 * Stores a run the script played in the browser, sent whole (moves from the start): the server replays it, so a run
 * counts only along the practice's own path; wrong taps per step come from the replay, never from the sender. The
 * same run sent again (a retry, or later with more moves) replaces its counts until it is completed.
 */
export async function recordPracticeRun(
	db: Kysely<Database>,
	ref: PracticeRef,
	moves: PracticeMove[],
	published?: PublishedContent
): Promise<RunResult> {
	const r = await resolve(ref, published);
	const replay = replayRun(r.practice, moves);
	if (!replay.ok) return replay;
	return inLearnerTransaction(db, ref.userId, async (trx) => {
		const run = await openRun(trx, ref, r);
		if (!run) return { ok: false as const, reason: 'run key of another practice' };
		if (run.completed_at === null) {
			await trx.updateTable('practice_run').set({ steps: JSON.stringify(replay.steps), updated_at: sql`now()` }).where('id', '=', run.id).execute();
		}
		if (replay.completed) {
			const record = await completePractice(trx, ref, r, run.id);
			return { ok: true as const, counted: true, completed: true, record };
		}
		return { ok: true as const, counted: run.completed_at === null, completed: await hasCompleted(trx, ref.userId, r.lessonId, r.practice.id) };
	});
}

async function hasCompleted(db: Kysely<Database> | Transaction<Database>, userId: number, lessonId: number, practiceKey: string): Promise<boolean> {
	const row = await db
		.selectFrom('practice_completion')
		.select('run_id')
		.where('user_id', '=', userId)
		.where('lesson_id', '=', lessonId)
		.where('practice_key', '=', practiceKey)
		.executeTakeFirst();
	return row !== undefined;
}

/** Whether the learner has completed the practice, and their record of the course if they hold one. */
export async function findPracticeCompletion(
	db: Kysely<Database>,
	userId: number,
	ref: { courseSlug: string; lessonSlug: string; practice: Practice },
	published?: PublishedContent
): Promise<{ completed: boolean; recordCode: string | null }> {
	const content = published ?? (await getContent());
	const courseRef = content.ids.courses.get(ref.courseSlug);
	const lessonRef = content.ids.lessons.get(`${ref.courseSlug}/${ref.lessonSlug}`);
	if (!courseRef || !lessonRef) return { completed: false, recordCode: null };
	const completed = await hasCompleted(db, userId, lessonRef.id, ref.practice.id);
	const record = completed ? await findRecordOfCourse(db, userId, courseRef.id) : undefined;
	return { completed, recordCode: record && !record.revokedAt ? record.code : null };
}
