import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { StatTable } from '$lib/server/stats/dashboard';
import { formatDueDate } from '$lib/server/learning/due-date';
import { inScope } from '$lib/server/units/scope';
import { unitLabel } from '$lib/server/units/search';

type Db = Kysely<Database> | Transaction<Database>;

export interface OverdueRow {
	userId: number;
	fullName: string;
	position: string | null;
	unitLabel: string;
	courseTitle: string;
	dueAt: Date;
	lessonsDone: number;
	lessonsTotal: number;
}

/**
 * Who is overdue in the unit's scope: learners of a unit counted under it with an assignment of a published course
 * past its due date and no valid record of the course. Only people in the scope (personal data stays within the
 * official's units); one unit assignment's people when `unitAssignmentId` is given. By unit, then name.
 */
export async function listOverdue(db: Db, input: { scopeUnitId: number; unitAssignmentId?: number | null }): Promise<OverdueRow[]> {
	let q = db
		.selectFrom('assignment as a')
		.innerJoin('app_user as u', 'u.id', 'a.user_id')
		.$call(inScope('u.unit_id', input.scopeUnitId))
		.innerJoin('unit as un', 'un.id', 'u.unit_id')
		.innerJoin('course as c', 'c.id', 'a.course_id')
		.innerJoin('course_version as cv', 'cv.id', 'c.current_version_id')
		.select([
			'u.id',
			'u.full_name',
			'u.position',
			'un.type',
			'un.name',
			'cv.title',
			'a.due_at',
			sql<number>`(select count(*) from lesson l join lesson_progress p on p.lesson_id = l.id and p.user_id = a.user_id
				where l.course_id = a.course_id and l.retired_at is null and (p.read_at is not null or p.passed_at is not null))::int`.as('done'),
			sql<number>`(select count(*) from lesson l where l.course_id = a.course_id and l.retired_at is null and l.current_version_id is not null)::int`.as('total')
		])
		.where('u.kind', '=', 'learner')
		.where('u.deleted_at', 'is', null)
		.where('c.retired_at', 'is', null)
		.where('a.due_at', '<', sql<Date>`now()`)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('completion_record as r')
						.select('r.id')
						.whereRef('r.user_id', '=', 'a.user_id')
						.whereRef('r.course_id', '=', 'a.course_id')
						.where('r.revoked_at', 'is', null)
				)
			)
		);
	if (input.unitAssignmentId) q = q.where('a.unit_assignment_id', '=', input.unitAssignmentId);
	const rows = await q.orderBy('un.name').orderBy('u.full_name').orderBy('u.id').orderBy('a.due_at').execute();
	return rows.map((r) => ({
		userId: r.id,
		fullName: r.full_name ?? '',
		position: r.position,
		unitLabel: unitLabel(r),
		courseTitle: r.title,
		dueAt: r.due_at!,
		lessonsDone: Number(r.done),
		lessonsTotal: Number(r.total)
	}));
}

/** The overdue list as a table: what the page shows and the CSV export contains. */
export function overdueTable(rows: OverdueRow[]): StatTable {
	return {
		id: 'qua-han',
		title: 'Quá hạn',
		columns: ['STT', 'Họ và tên', 'Chức vụ', 'Đơn vị', 'Khóa học', 'Hạn hoàn thành', 'Bài đã học', 'Tiến độ'],
		rows: rows.map((r, i) => [
			i + 1,
			r.fullName,
			r.position ?? '',
			r.unitLabel,
			r.courseTitle,
			formatDueDate(r.dueAt),
			`${r.lessonsDone}/${r.lessonsTotal}`,
			r.lessonsTotal ? `${Math.round((100 * r.lessonsDone) / r.lessonsTotal)}%` : ''
		]),
		headColumn: 1
	};
}
