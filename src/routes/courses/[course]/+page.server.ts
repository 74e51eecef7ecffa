import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getCoursePage } from '$lib/server/content/catalog';
import { db } from '$lib/server/db';
import { listCourseProgress } from '$lib/server/learning/progress';
import { formatRecordCode } from '$lib/server/learning/record-code';

export const load: PageServerLoad = async ({ params, locals }) => {
	const course = await getCoursePage(params.course);
	if (!course) error(404, 'Không tìm thấy khóa học');
	const p = locals.user ? (await listCourseProgress(await db(), locals.user.id)).get(params.course) : undefined;
	const progress =
		p && p.lastActiveAt
			? {
					done: p.done,
					total: p.total,
					completed: p.completed,
					next: p.next,
					doneLessons: p.lessons.filter((l) => l.done).map((l) => l.slug),
					// Lessons whose practices are all completed (lessons without any are left out below).
					practicedLessons: p.lessons.filter((l) => l.practicesLeft === 0).map((l) => l.slug),
					recordCode: p.record && !p.record.revoked ? formatRecordCode(p.record.code) : null
				}
			: null;
	return { course, progress };
};
