import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { Audience } from '$lib/server/auth/user';
import { writeAudit } from '$lib/server/audit';
import { inScope } from '$lib/server/units/scope';
import { unitLabel } from '$lib/server/units/search';

type Db = Kysely<Database> | Transaction<Database>;

// Unit assignments: a course or a programme (each of its courses), with a due date, for everyone of a unit's scope
// (optionally one audience): the people there now and whoever joins later (registers, is registered or imported
// there, or moves there). A person who already had the course assigned keeps that assignment and its due date.

/**
 * Makes the learner assignments that unit assignments call for: for the given people (who just joined a unit), or
 * for everyone a given unit assignment covers (just created). Returns how many were made.
 */
export async function applyUnitAssignments(db: Db, target: { userIds: number[] } | { unitAssignmentId: number }): Promise<number> {
	if ('userIds' in target && target.userIds.length === 0) return 0;
	const result = await sql`
		insert into assignment (user_id, course_id, due_at, assigned_by, unit_assignment_id)
		select u.id, c.course_id, ua.due_at, ua.created_by, ua.id
		from unit_assignment ua
		join unit_scope s on s.ancestor_id = ua.unit_id
		join app_user u on u.unit_id = s.unit_id and u.kind = 'learner' and u.deleted_at is null
			and (ua.audience is null or ua.audience = u.audience)
		join lateral (
			select ua.course_id where ua.course_id is not null
			union all
			select pc.course_id from programme_course pc where pc.programme_id = ua.programme_id
		) c (course_id) on true
		join course on course.id = c.course_id and course.retired_at is null
		where ${'userIds' in target ? sql`u.id in (${sql.join(target.userIds)})` : sql`ua.id = ${target.unitAssignmentId}`}
		order by ua.due_at, ua.id
		on conflict (user_id, course_id) do nothing
	`.execute(db);
	return Number(result.numAffectedRows ?? 0);
}

export type UnitAssignmentSubject = { courseId: number } | { programmeId: number };

export const AUDIENCE_CHOICES: { value: Audience | ''; label: string }[] = [
	{ value: 'civil_servant', label: 'Cán bộ, công chức, viên chức' },
	{ value: 'team_member', label: 'Thành viên tổ công nghệ số cộng đồng' },
	{ value: 'citizen', label: 'Người dân' },
	{ value: '', label: 'Mọi người của đơn vị' }
];

/**
 * Assigns a course or programme with a due date to everyone of the unit's scope (of the audience, when given), now
 * and later. Audited as unit_assignment.create with how many people it reached at once.
 */
export async function createUnitAssignment(
	db: Kysely<Database>,
	input: { unitId: number; subject: UnitAssignmentSubject; audience: Audience | null; dueAt: Date; actorUserId: number }
): Promise<{ id: number; reached: number }> {
	return db.transaction().execute(async (trx) => {
		const { id } = await trx
			.insertInto('unit_assignment')
			.values({
				unit_id: input.unitId,
				course_id: 'courseId' in input.subject ? input.subject.courseId : null,
				programme_id: 'programmeId' in input.subject ? input.subject.programmeId : null,
				audience: input.audience,
				due_at: input.dueAt,
				created_by: input.actorUserId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await applyUnitAssignments(trx, { unitAssignmentId: id });
		const { n } = await trx
			.selectFrom('assignment')
			.select((eb) => eb.fn.count<string>('user_id').distinct().as('n'))
			.where('unit_assignment_id', '=', id)
			.executeTakeFirstOrThrow();
		const reached = Number(n);
		await writeAudit(trx, {
			actorUserId: input.actorUserId,
			action: 'unit_assignment.create',
			unitId: input.unitId,
			details: { unitAssignmentId: id, ...input.subject, audience: input.audience, dueAt: input.dueAt.toISOString(), reached }
		});
		return { id, reached };
	});
}

export interface UnitAssignmentView {
	id: number;
	unitId: number;
	unitLabel: string;
	subject: string;
	kind: 'course' | 'programme';
	audience: Audience | null;
	dueAt: Date;
	createdAt: Date;
	createdByName: string | null;
	/** People who hold an assignment made from it. */
	people: number;
	/** ... of whom past the due date without the record. */
	overdue: number;
}

/** The unit assignments set on the unit or any unit in its scope, soonest due first. */
export async function listUnitAssignments(db: Db, scopeUnitId: number): Promise<UnitAssignmentView[]> {
	const rows = await db
		.selectFrom('unit_assignment as ua')
		.$call(inScope('ua.unit_id', scopeUnitId))
		.innerJoin('unit as un', 'un.id', 'ua.unit_id')
		.leftJoin('app_user as by', 'by.id', 'ua.created_by')
		.leftJoin('course as c', 'c.id', 'ua.course_id')
		.leftJoin('course_version as cv', 'cv.id', 'c.current_version_id')
		.leftJoin('programme as p', 'p.id', 'ua.programme_id')
		.select([
			'ua.id',
			'ua.unit_id',
			'ua.audience',
			'ua.due_at',
			'ua.created_at',
			'un.type',
			'un.name',
			'by.full_name as by_name',
			'cv.title as course_title',
			'p.name as programme_name',
			sql<number>`(select count(distinct a.user_id) from assignment a where a.unit_assignment_id = ua.id)::int`.as('people'),
			sql<number>`(select count(distinct a.user_id) from assignment a where a.unit_assignment_id = ua.id and a.due_at < now()
				and not exists (select 1 from completion_record r where r.user_id = a.user_id and r.course_id = a.course_id and r.revoked_at is null))::int`.as('overdue')
		])
		.orderBy('ua.due_at')
		.orderBy('ua.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		unitId: r.unit_id,
		unitLabel: unitLabel(r),
		subject: r.course_title ?? (r.programme_name ? `Chương trình ${r.programme_name}` : '(khóa học không còn)'),
		kind: r.course_title !== null || r.programme_name === null ? 'course' : 'programme',
		audience: r.audience,
		dueAt: r.due_at,
		createdAt: r.created_at,
		createdByName: r.by_name,
		people: Number(r.people),
		overdue: Number(r.overdue)
	}));
}

/**
 * Removes a unit assignment set on a unit in the scope, and the learner assignments made from it (their progress
 * and records stay). Audited as unit_assignment.remove. False when there is no such assignment in the scope.
 */
export async function removeUnitAssignment(db: Kysely<Database>, input: { id: number; scopeUnitId: number; actorUserId: number }): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('unit_assignment as ua')
			.$call(inScope('ua.unit_id', input.scopeUnitId))
			.select(['ua.id', 'ua.unit_id', 'ua.course_id', 'ua.programme_id', 'ua.due_at'])
			.where('ua.id', '=', input.id)
			.executeTakeFirst();
		if (!row) return false;
		const removed = await trx.deleteFrom('assignment').where('unit_assignment_id', '=', row.id).returning('id').execute();
		await trx.deleteFrom('unit_assignment').where('id', '=', row.id).execute();
		await writeAudit(trx, {
			actorUserId: input.actorUserId,
			action: 'unit_assignment.remove',
			unitId: row.unit_id,
			details: { unitAssignmentId: row.id, courseId: row.course_id, programmeId: row.programme_id, dueAt: row.due_at.toISOString(), learnerAssignmentsRemoved: removed.length }
		});
		return true;
	});
}
