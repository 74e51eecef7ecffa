import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export class CourseNotFoundError extends Error {}

/**
 * Assigns a course to a learner, with an optional due date. Assigning again changes the due date (none clears it)
 * and who assigned it; a learner has at most one assignment per course. `created` is false when it already existed.
 */
export async function assignCourse(
	db: Db,
	input: { userId: number; courseSlug: string; dueAt?: Date | null; assignedBy?: number | null }
): Promise<{ created: boolean }> {
	const course = await db.selectFrom('course').select('id').where('slug', '=', input.courseSlug).where('retired_at', 'is', null).executeTakeFirst();
	if (!course) throw new CourseNotFoundError(input.courseSlug);
	const existing = await db.selectFrom('assignment').select('id').where('user_id', '=', input.userId).where('course_id', '=', course.id).executeTakeFirst();
	const values = { due_at: input.dueAt ?? null, assigned_by: input.assignedBy ?? null };
	await db
		.insertInto('assignment')
		.values({ user_id: input.userId, course_id: course.id, ...values })
		.onConflict((oc) => oc.columns(['user_id', 'course_id']).doUpdateSet(values))
		.execute();
	return { created: !existing };
}

/** Removes an assignment, saying whose and of which course; undefined when there is none with this id. Progress made stays. */
export async function removeAssignment(
	db: Db,
	id: number
): Promise<{ learnerId: number; learnerUnitId: number | null; learnerName: string | null; courseSlug: string; courseTitle: string } | undefined> {
	const row = await db
		.deleteFrom('assignment')
		.using(['app_user', 'course', 'course_version'])
		.whereRef('app_user.id', '=', 'assignment.user_id')
		.whereRef('course.id', '=', 'assignment.course_id')
		.whereRef('course_version.id', '=', 'course.current_version_id')
		.where('assignment.id', '=', id)
		.returning(['app_user.id', 'app_user.unit_id', 'app_user.full_name', 'course.slug', 'course_version.title'])
		.executeTakeFirst();
	return row && { learnerId: row.id, learnerUnitId: row.unit_id, learnerName: row.full_name, courseSlug: row.slug, courseTitle: row.title };
}

/** Published courses, in catalog order, as a course picker lists them. */
export async function listAssignableCourses(db: Db): Promise<{ slug: string; title: string }[]> {
	return db
		.selectFrom('course')
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.select(['course.slug', 'course_version.title'])
		.where('course.retired_at', 'is', null)
		.orderBy('course.position')
		.orderBy('course.slug')
		.execute();
}

export interface AssignmentListItem {
	id: number;
	learnerName: string | null;
	/** The learner's phone number, or username when they have none. */
	learnerLogin: string | null;
	courseSlug: string;
	courseTitle: string;
	dueAt: Date | null;
	assignedAt: Date;
	/** The learner holds a completion record for the course. */
	done: boolean;
	/** ... and it was revoked. */
	recordRevoked: boolean;
}

/**
 * Assignments of published courses to current accounts, newest first, at most `limit` of them, with whether each
 * learner has completed the course (holds its record), and how many there are in all.
 */
export async function listAssignments(db: Db, limit = 200): Promise<{ items: AssignmentListItem[]; total: number }> {
	const base = db
		.selectFrom('assignment')
		.innerJoin('app_user', 'app_user.id', 'assignment.user_id')
		.innerJoin('course', 'course.id', 'assignment.course_id')
		.where('app_user.deleted_at', 'is', null)
		.where('course.retired_at', 'is', null);
	const rows = await base
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.leftJoin('completion_record', (j) =>
			j.onRef('completion_record.user_id', '=', 'assignment.user_id').onRef('completion_record.course_id', '=', 'assignment.course_id')
		)
		.select([
			'assignment.id',
			'assignment.due_at',
			'assignment.created_at',
			'app_user.full_name',
			'app_user.phone',
			'app_user.username',
			'course.slug',
			'course_version.title',
			'completion_record.id as record_id',
			'completion_record.revoked_at'
		])
		.orderBy('assignment.created_at', 'desc')
		.orderBy('assignment.id', 'desc')
		.limit(limit)
		.execute();
	const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return {
		total: Number(n),
		items: rows.map((r) => ({
			id: r.id,
			learnerName: r.full_name,
			learnerLogin: r.phone ?? r.username,
			courseSlug: r.slug,
			courseTitle: r.title,
			dueAt: r.due_at,
			assignedAt: r.created_at,
			done: r.record_id !== null,
			recordRevoked: r.revoked_at !== null
		}))
	};
}

export interface MyAssignment {
	courseSlug: string;
	courseTitle: string;
	dueAt: Date | null;
	assignedAt: Date;
}

/** The learner's assignments to published courses, soonest due first (no due date last). */
export async function listMyAssignments(db: Db, userId: number): Promise<MyAssignment[]> {
	const rows = await db
		.selectFrom('assignment')
		.innerJoin('course', 'course.id', 'assignment.course_id')
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.select(['course.slug', 'course_version.title', 'assignment.due_at', 'assignment.created_at'])
		.where('assignment.user_id', '=', userId)
		.where('course.retired_at', 'is', null)
		.orderBy((eb) => eb.ref('assignment.due_at'), (ob) => ob.asc().nullsLast())
		.orderBy('course.position')
		.execute();
	return rows.map((r) => ({ courseSlug: r.slug, courseTitle: r.title, dueAt: r.due_at, assignedAt: r.created_at }));
}
