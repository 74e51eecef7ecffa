import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { Content, Course } from './loader';

export interface VersionRef {
	id: number;
	versionId: number;
}

/** Database ids of the content now published, keyed by course slug, `course/lesson` and `course/questionKey`. */
export interface ContentIds {
	courses: Map<string, VersionRef>;
	lessons: Map<string, VersionRef>;
	questions: Map<string, VersionRef>;
}

// Any constant works: it only keeps two app processes from publishing the same content at once.
const SYNC_LOCK = 4_207_311;

function questionHash(q: unknown): string {
	const { line: _line, ...rest } = q as { line?: number };
	return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/**
 * Publishes the content in the database: a course, lesson or question whose content hash changed gets a new
 * version row and becomes current; what disappeared from the files is retired, never deleted, so attempts and
 * records made against older versions keep pointing at what the learner saw.
 */
export async function syncContent(db: Kysely<Database>, content: Content): Promise<ContentIds> {
	await db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(${SYNC_LOCK})`.execute(trx);
		const current = await trx
			.selectFrom('course')
			.leftJoin('course_version', 'course_version.id', 'course.current_version_id')
			.select(['course.slug', 'course_version.content_hash', 'course.retired_at', 'course.position', 'course.code'])
			.execute();
		const bySlug = new Map(current.map((c) => [c.slug, c]));
		// Lessons published before practices were counted name none yet: their course is published again once.
		const unnamed = await trx
			.selectFrom('lesson')
			.innerJoin('lesson_version', 'lesson_version.id', 'lesson.current_version_id')
			.innerJoin('course', 'course.id', 'lesson.course_id')
			.select('course.slug')
			.distinct()
			.where('lesson_version.practice_keys', 'is', null)
			.where('lesson.retired_at', 'is', null)
			.execute();
		const stale = new Set(unnamed.map((r) => r.slug));
		for (const course of content.courses) {
			const row = bySlug.get(course.slug);
			if (row && !stale.has(course.slug) && row.content_hash === course.hash && !row.retired_at && row.position === course.position && row.code === course.code) continue;
			await publishCourse(trx, course);
		}
		const slugs = content.courses.map((c) => c.slug);
		let retire = trx.updateTable('course').set({ retired_at: sql`now()` }).where('retired_at', 'is', null);
		if (slugs.length) retire = retire.where('slug', 'not in', slugs);
		await retire.execute();
	});
	return loadContentIds(db);
}

async function publishCourse(trx: Transaction<Database>, course: Course) {
	// A code may move from a retired course to this one: free it first.
	await trx.updateTable('course').set({ code: sql`code || '~' || id` }).where('code', '=', course.code).where('slug', '!=', course.slug).execute();
	const { id: courseId } = await trx
		.insertInto('course')
		.values({ slug: course.slug, code: course.code, position: course.position })
		.onConflict((oc) => oc.column('slug').doUpdateSet({ code: course.code, position: course.position, retired_at: null }))
		.returning('id')
		.executeTakeFirstOrThrow();
	const { lessons: _lessons, introHtml: _intro, ...meta } = course;
	const courseVersionId = await upsertVersion(
		() =>
			trx
				.insertInto('course_version')
				.values({ course_id: courseId, content_hash: course.hash, title: course.title, meta: JSON.stringify(meta) })
				.onConflict((oc) => oc.doNothing())
				.returning('id')
				.executeTakeFirst(),
		() => trx.selectFrom('course_version').select('id').where('course_id', '=', courseId).where('content_hash', '=', course.hash).executeTakeFirstOrThrow()
	);
	await trx.updateTable('course').set({ current_version_id: courseVersionId }).where('id', '=', courseId).execute();

	const lessonSlugs: string[] = [];
	const questionKeys: string[] = [];
	for (const lesson of course.lessons) {
		lessonSlugs.push(lesson.slug);
		const { id: lessonId } = await trx
			.insertInto('lesson')
			.values({ course_id: courseId, slug: lesson.slug, position: lesson.position })
			.onConflict((oc) => oc.columns(['course_id', 'slug']).doUpdateSet({ position: lesson.position, retired_at: null }))
			.returning('id')
			.executeTakeFirstOrThrow();
		const versionId = await upsertVersion(
			() =>
				trx
					.insertInto('lesson_version')
					.values({
						lesson_id: lessonId,
						content_hash: lesson.hash,
						title: lesson.title,
						minutes: lesson.minutes,
						pass_mark: lesson.passMark,
						question_keys: JSON.stringify(lesson.questions.map((q) => q.id)),
						practice_keys: JSON.stringify(lesson.practices.map((p) => p.id))
					})
					.onConflict((oc) => oc.doNothing())
					.returning('id')
					.executeTakeFirst(),
			() => trx.selectFrom('lesson_version').select('id').where('lesson_id', '=', lessonId).where('content_hash', '=', lesson.hash).executeTakeFirstOrThrow()
		);
		await trx.updateTable('lesson').set({ current_version_id: versionId }).where('id', '=', lessonId).execute();
		await trx
			.updateTable('lesson_version')
			.set({ practice_keys: JSON.stringify(lesson.practices.map((p) => p.id)) })
			.where('id', '=', versionId)
			.where('practice_keys', 'is', null)
			.execute();

		for (const q of lesson.questions) {
			questionKeys.push(q.id);
			const { id: questionId } = await trx
				.insertInto('question')
				.values({ course_id: courseId, lesson_id: lessonId, key: q.id })
				.onConflict((oc) => oc.columns(['course_id', 'key']).doUpdateSet({ lesson_id: lessonId, retired_at: null }))
				.returning('id')
				.executeTakeFirstOrThrow();
			const hash = questionHash(q);
			const qv = await upsertVersion(
				() =>
					trx
						.insertInto('question_version')
						.values({ question_id: questionId, content_hash: hash, type: q.type, data: JSON.stringify(q) })
						.onConflict((oc) => oc.doNothing())
						.returning('id')
						.executeTakeFirst(),
				() => trx.selectFrom('question_version').select('id').where('question_id', '=', questionId).where('content_hash', '=', hash).executeTakeFirstOrThrow()
			);
			await trx.updateTable('question').set({ current_version_id: qv }).where('id', '=', questionId).execute();
		}
	}
	let retireLessons = trx.updateTable('lesson').set({ retired_at: sql`now()` }).where('course_id', '=', courseId).where('retired_at', 'is', null);
	if (lessonSlugs.length) retireLessons = retireLessons.where('slug', 'not in', lessonSlugs);
	await retireLessons.execute();
	let retireQuestions = trx.updateTable('question').set({ retired_at: sql`now()` }).where('course_id', '=', courseId).where('retired_at', 'is', null);
	if (questionKeys.length) retireQuestions = retireQuestions.where('key', 'not in', questionKeys);
	await retireQuestions.execute();
}

/** Inserts a version row unless one with the same hash exists; returns its id either way. */
async function upsertVersion(
	insert: () => Promise<{ id: number } | undefined>,
	existing: () => Promise<{ id: number }>
): Promise<number> {
	return (await insert())?.id ?? (await existing()).id;
}

export async function loadContentIds(db: Kysely<Database>): Promise<ContentIds> {
	const [courses, lessons, questions] = await Promise.all([
		db.selectFrom('course').select(['id', 'slug', 'current_version_id']).where('retired_at', 'is', null).execute(),
		db
			.selectFrom('lesson')
			.innerJoin('course', 'course.id', 'lesson.course_id')
			.select(['lesson.id', 'lesson.slug', 'course.slug as course_slug', 'lesson.current_version_id'])
			.where('lesson.retired_at', 'is', null)
			.execute(),
		db
			.selectFrom('question')
			.innerJoin('course', 'course.id', 'question.course_id')
			.select(['question.id', 'question.key', 'course.slug as course_slug', 'question.current_version_id'])
			.where('question.retired_at', 'is', null)
			.execute()
	]);
	return {
		courses: new Map(courses.map((c) => [c.slug, { id: c.id, versionId: c.current_version_id! }])),
		lessons: new Map(lessons.map((l) => [`${l.course_slug}/${l.slug}`, { id: l.id, versionId: l.current_version_id! }])),
		questions: new Map(questions.map((q) => [`${q.course_slug}/${q.key}`, { id: q.id, versionId: q.current_version_id! }]))
	};
}
