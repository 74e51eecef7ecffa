import type { PageServerLoad } from './$types';
import { listAnalyticsCourses } from '$lib/server/analytics/report';
import { openAnalytics } from './analytics.server';

export const load: PageServerLoad = async (event) => {
	const view = await openAnalytics(event);
	return {
		courses: await listAnalyticsCourses(view.database),
		unitLabel: view.unitLabel,
		query: view.query
	};
};
