import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getCoursePage } from '$lib/server/content/catalog';

export const load: PageServerLoad = async ({ params }) => {
	const course = await getCoursePage(params.course);
	if (!course) error(404, 'Không tìm thấy khóa học');
	return { course };
};
