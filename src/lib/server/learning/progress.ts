import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { getContent, type PublishedContent } from '../content';
import { isLessonDone, meetsRule, type CompletionRule } from './completion';
import { isMissingLearnerError, LearnerGoneError, lockLearner } from './lock';
import { issueRecordIfComplete, practicesLeftSql, type CompletionRecord } from './records';
import { countLessonOpened, countLessonProgress } from '../analytics/counters';
import { toLessonProgress, type PageLessonProgress } from '../auth/session';

type Db = Kysely<Database> | Transaction<Database>;

export class LessonNotFoundError extends Error {}

/**
 * Records that the learner reached the end of a lesson (the "Tôi đã học xong bài này" button) and, in the same
 * transaction, issues the course record when the course is now complete. Reading again changes nothing but
 * the last-activity time.
 */
export async function markLessonRead(
	db: Kysely<Database>,
	input: { userId: number; courseSlug: string; lessonSlug: string },
	published?: PublishedContent
): Promise<{ record?: CompletionRecord }> {
	const content = published ?? (await getContent());
	const courseRef = content.ids.courses.get(input.courseSlug);
	const lessonRef = content.ids.lessons.get(`${input.courseSlug}/${input.lessonSlug}`);
	if (!courseRef || !lessonRef) throw new LessonNotFoundError(`${input.courseSlug}/${input.lessonSlug}`);
	try {
		return await db.transaction().execute(async (trx) => {
			await lockLearner(trx, input.userId);
			await trx
				.insertInto('lesson_progress')
				.values({
					user_id: input.userId,
					lesson_id: lessonRef.id,
					course_id: courseRef.id,
					lesson_version_id: lessonRef.versionId,
					read_at: sql<Date>`now()`,
					updated_at: sql<Date>`now()`
				})
				.onConflict((oc) =>
					oc.columns(['user_id', 'lesson_id']).doUpdateSet({
						read_at: sql`coalesce(lesson_progress.read_at, excluded.read_at)`,
						updated_at: sql`excluded.updated_at`
					})
				)
				.execute();
			await countLessonProgress(trx, { userId: input.userId, lessonId: lessonRef.id, courseId: courseRef.id, passed: false });
			return { record: await issueRecordIfComplete(trx, input.userId, input.courseSlug) };
		});
	} catch (e) {
		if (isMissingLearnerError(e)) throw new LearnerGoneError(input.userId);
		throw e;
	}
}

export interface LessonProgress {
	slug: string;
	title: string;
	url: string;
	hasQuiz: boolean;
	read: boolean;
	passed: boolean;
	done: boolean;
	bestScore: number | null;
	practicesLeft: number;
}

export interface CourseProgress {
	slug: string;
	title: string;
	url: string;
	/** Lessons done (read, and passed when the lesson has a quiz) of the lessons published now. */
	done: number;
	total: number;
	/** The course's completion rule is met. */
	completed: boolean;
	/** Latest activity in the course; null when only assigned. */
	lastActiveAt: Date | null;
	/** First lesson not done yet, in course order. */
	next: { slug: string; title: string; url: string } | null;
	lessons: LessonProgress[];
	record: { code: string; revoked: boolean } | null;
}

/**
 * The learner's progress in every course they started or were assigned, keyed by course slug, in catalog order.
 * Reads the published lessons and the learner's rows from the database (two queries).
 */
export async function listCourseProgress(db: Db, userId: number): Promise<Map<string, CourseProgress>> {
	const rows = await db
		.selectFrom('lesson')
		.innerJoin('course', 'course.id', 'lesson.course_id')
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.innerJoin('lesson_version', 'lesson_version.id', 'lesson.current_version_id')
		.leftJoin('lesson_progress', (j) => j.onRef('lesson_progress.lesson_id', '=', 'lesson.id').on('lesson_progress.user_id', '=', userId))
		.select([
			'course.slug as course_slug',
			'course_version.title as course_title',
			sql<string | null>`course_version.meta->>'completion'`.as('rule'),
			'lesson.slug',
			'lesson_version.title',
			sql<boolean>`jsonb_array_length(lesson_version.question_keys) > 0`.as('has_quiz'),
			'lesson_progress.read_at',
			'lesson_progress.passed_at',
			'lesson_progress.best_score',
			'lesson_progress.updated_at',
			practicesLeftSql(userId).as('practices_left')
		])
		.where('lesson.retired_at', 'is', null)
		.where('course.retired_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('lesson.course_id', 'in', eb.selectFrom('lesson_progress').select('course_id').where('user_id', '=', userId)),
				eb('lesson.course_id', 'in', eb.selectFrom('assignment').select('course_id').where('user_id', '=', userId))
			])
		)
		.orderBy('course.position')
		.orderBy('course.slug')
		.orderBy('lesson.position')
		.execute();
	const records = await db
		.selectFrom('completion_record')
		.innerJoin('course', 'course.id', 'completion_record.course_id')
		.select(['course.slug', 'completion_record.code', 'completion_record.revoked_at'])
		.where('completion_record.user_id', '=', userId)
		.execute();
	const recordOf = new Map(records.map((r) => [r.slug, { code: r.code, revoked: r.revoked_at !== null }]));

	const out = new Map<string, CourseProgress & { rule: CompletionRule }>();
	for (const r of rows) {
		let c = out.get(r.course_slug);
		if (!c) {
			c = {
				slug: r.course_slug,
				title: r.course_title,
				url: `/courses/${r.course_slug}`,
				done: 0,
				total: 0,
				completed: false,
				lastActiveAt: null,
				next: null,
				lessons: [],
				record: recordOf.get(r.course_slug) ?? null,
				rule: (r.rule ?? 'all-lessons-and-quizzes') as CompletionRule
			};
			out.set(r.course_slug, c);
		}
		const state = { hasQuiz: r.has_quiz, read: r.read_at !== null, passed: r.passed_at !== null, bestScore: r.best_score, practicesLeft: r.practices_left };
		const lesson: LessonProgress = { slug: r.slug, title: r.title, url: `/courses/${r.course_slug}/${r.slug}`, ...state, done: isLessonDone(state, c.rule) };
		c.lessons.push(lesson);
		c.total++;
		if (lesson.done) c.done++;
		else c.next ??= { slug: lesson.slug, title: lesson.title, url: lesson.url };
		if (r.updated_at && (!c.lastActiveAt || r.updated_at > c.lastActiveAt)) c.lastActiveAt = r.updated_at;
	}
	for (const c of out.values()) {
		c.completed = c.record !== null || meetsRule(c.rule, c.lessons);
		delete (c as Partial<typeof c>).rule;
	}
	return out;
}

/** "Học tiếp": the next lesson of the unfinished course the learner was most recently active in. */
export function pickContinue(progress: Map<string, CourseProgress>): { course: CourseProgress; lesson: { title: string; url: string } } | null {
	let best: CourseProgress | null = null;
	for (const c of progress.values()) {
		if (c.completed || !c.next || !c.lastActiveAt) continue;
		if (!best || c.lastActiveAt > best.lastActiveAt!) best = c;
	}
	return best && { course: best, lesson: best.next! };
}

/** What a catalog card shows of a course's progress; null when the learner has not started it. */
export function cardProgress(c: CourseProgress | undefined): { done: number; total: number; completed: boolean } | null {
	if (!c || !c.lastActiveAt) return null;
	return { done: c.done, total: c.total, completed: c.completed };
}

/** The learner's state in one lesson, or null when they have not opened its quiz or finished it yet. */
export async function findLessonProgress(db: Db, userId: number, courseSlug: string, lessonSlug: string): Promise<PageLessonProgress | null> {
	const row = await db
		.selectFrom('lesson_progress')
		.innerJoin('lesson', 'lesson.id', 'lesson_progress.lesson_id')
		.innerJoin('course', 'course.id', 'lesson.course_id')
		.select(['lesson_progress.read_at', 'lesson_progress.passed_at', 'lesson_progress.best_score'])
		.where('lesson_progress.user_id', '=', userId)
		.where('course.slug', '=', courseSlug)
		.where('lesson.slug', '=', lessonSlug)
		.executeTakeFirst();
	return toLessonProgress(row);
}

/**
 * A logged-in learner opened a lesson: the first opening is kept for the trainers' analytics (one insert that
 * does nothing after the first time). Guests and visitors count nowhere.
 */
export async function recordLessonOpened(db: Kysely<Database>, userId: number, courseSlug: string, lessonSlug: string, published?: PublishedContent): Promise<void> {
	const content = published ?? (await getContent());
	const courseRef = content.ids.courses.get(courseSlug);
	const lessonRef = content.ids.lessons.get(`${courseSlug}/${lessonSlug}`);
	if (!courseRef || !lessonRef) return;
	try {
		await countLessonOpened(db, { userId, lessonId: lessonRef.id, courseId: courseRef.id });
	} catch (e) {
		if (!isMissingLearnerError(e)) throw e;
	}
}
