import type { PageServerLoad } from './$types';
import { listCourses } from '$lib/server/content/catalog';

export const load: PageServerLoad = async () => {
	return { courses: await listCourses() };
};
