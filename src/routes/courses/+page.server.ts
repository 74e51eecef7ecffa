import type { PageServerLoad } from './$types';
import { listCourses } from '$lib/server/content/catalog';
import { AUDIENCE_LABELS } from '$lib/labels';

export const load: PageServerLoad = async ({ url }) => {
	const raw = url.searchParams.get('doi-tuong');
	const audience = raw && raw in AUDIENCE_LABELS ? raw : null;
	return { audience, courses: await listCourses(audience) };
};
