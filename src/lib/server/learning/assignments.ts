import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export class CourseNotFoundError extends Error {}

/**
 * Assigns a course to a learner, with an optional due date. Assigning again changes the due date and who
 * assigned it; a learner has at most one assignment per course.
 */
export async function assignCourse(
	db: Db,
	input: { userId: number; courseSlug: string; dueAt?: Date | null; assignedBy?: number | null }
): Promise<void> {
	const course = await db.selectFrom('course').select('id').where('slug', '=', input.courseSlug).where('retired_at', 'is', null).executeTakeFirst();
	if (!course) throw new CourseNotFoundError(input.courseSlug);
	const values = { due_at: input.dueAt ?? null, assigned_by: input.assignedBy ?? null };
	await db
		.insertInto('assignment')
		.values({ user_id: input.userId, course_id: course.id, ...values })
		.onConflict((oc) => oc.columns(['user_id', 'course_id']).doUpdateSet(values))
		.execute();
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
