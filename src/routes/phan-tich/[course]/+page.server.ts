import type { PageServerLoad } from './$types';
import { getContent } from '$lib/server/content';
import { ABANDON_DAYS, MIN_LEARNERS, MIN_TYPED_ANSWER } from '$lib/server/analytics/report';
import { addDays, nextMonth } from '$lib/server/stats/period';
import { openCourseAnalytics } from '../analytics.server';

export const load: PageServerLoad = async (event) => {
	const view = await openCourseAnalytics(event);
	const course = (await getContent()).courses.find((c) => c.slug === view.analytics.course.slug);
	const { lessons, questions, tables, course: c } = view.analytics;
	return {
		course: c,
		lessons,
		questions,
		tables,
		unitId: view.unitId === null ? '' : String(view.unitId),
		unitLabel: view.unitLabel,
		options: view.options,
		months: view.period.typed,
		periodMessage: view.period.message,
		periodLabel: view.periodLabel,
		query: view.query,
		// Practice steps have a page of their own (/phan-tich/[course]/thuc-hanh), for courses that have any.
		practiceHref: course?.lessons.some((l) => l.practices.length > 0)
			? `/phan-tich/${c.slug}/thuc-hanh?${new URLSearchParams({
					don_vi: view.unitId === null ? '' : String(view.unitId),
					tu: `${view.period.months.from}-01`,
					den: addDays(nextMonth(`${view.period.months.to}-01`), -1)
				})}`
			: null,
		limits: { abandonDays: ABANDON_DAYS, minLearners: MIN_LEARNERS, minTyped: MIN_TYPED_ANSWER }
	};
};
