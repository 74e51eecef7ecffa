import type { PageServerLoad } from './$types';
import { listCourses } from '$lib/server/content/catalog';
import { db } from '$lib/server/db';
import { cardProgress, listCourseProgress } from '$lib/server/learning/progress';
import { AUDIENCE_LABELS } from '$lib/labels';

export const load: PageServerLoad = async ({ url, locals }) => {
	const raw = url.searchParams.get('doi-tuong');
	const audience = raw && raw in AUDIENCE_LABELS ? raw : null;
	const courses = await listCourses(audience);
	const progress = locals.user ? await listCourseProgress(await db(), locals.user.id) : null;
	return { audience, courses: courses.map((c) => ({ ...c, progress: cardProgress(progress?.get(c.slug)) })) };
};
