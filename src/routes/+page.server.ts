import type { PageServerLoad } from './$types';
import { listCourses } from '$lib/server/content/catalog';
import { db } from '$lib/server/db';
import { cardProgress, listCourseProgress, pickContinue } from '$lib/server/learning/progress';

export const load: PageServerLoad = async ({ locals }) => {
	const courses = await listCourses();
	const progress = locals.user ? await listCourseProgress(await db(), locals.user.id) : null;
	const next = progress && pickContinue(progress);
	return {
		courses: courses.map((c) => ({ ...c, progress: cardProgress(progress?.get(c.slug)) })),
		continueLearning: next && { courseTitle: next.course.title, lessonTitle: next.lesson.title, url: next.lesson.url, done: next.course.done, total: next.course.total }
	};
};
