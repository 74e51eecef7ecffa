import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { replicaDb } from '$lib/server/db';
import { getContent } from '$lib/server/content';
import { practiceStats } from '$lib/server/learning/practice-stats';
import { isDay } from '$lib/server/stats/period';
import { MIN_LEARNERS } from '$lib/server/analytics/report';
import { openAnalyticsScope } from '../../analytics.server';

export const csr = false;

/** A step's instruction cut to about 90 characters at a word: enough to know the step, short enough for a phone. */
function shortSay(say: string): string {
	if (say.length <= 90) return say;
	const cut = say.slice(0, 90);
	return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 90).replace(/[\s,.:;–-]+$/, '')}…`;
}

/**
 * Where learners get stuck in a course's practices: aggregates only, no person is named. Same guard and unit scope
 * as the course analytics (a trainer or official sees their own unit's learners, never everyone's).
 */
export const load: PageServerLoad = async (event) => {
	const scope = await openAnalyticsScope(event);
	const q = event.url.searchParams;
	const problems: string[] = [];
	// Days (2026-11-30) or, as the course analytics link here, months (2026-11: its first or last day).
	const day = (name: string, label: string) => {
		let v = (q.get(name) ?? '').trim();
		if (/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) {
			const [y, m] = v.split('-').map(Number);
			v = name === 'tu' ? `${v}-01` : `${v}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
		}
		if (v && !isDay(v)) problems.push(`${label} "${v}" không phải ngày dạng năm-tháng-ngày (ví dụ 2026-11-30) hay tháng (2026-11): chưa lọc theo ngày này.`);
		return v && isDay(v) ? v : undefined;
	};
	const from = day('tu', 'Ngày bắt đầu');
	const to = day('den', 'Ngày kết thúc');
	const unitId = scope.unitId;

	const content = await getContent();
	const course = content.courses.find((c) => c.slug === event.params.course);
	const courseRef = content.ids.courses.get(event.params.course);
	if (!course || !courseRef) error(404, 'Không tìm thấy khóa học');
	// Statistics may lag the primary by a moment: read from the replica when there is one.
	const stats = await practiceStats(await replicaDb(), { courseId: courseRef.id, unitId: unitId ?? undefined, from, to });

	const practices = course.lessons.flatMap((lesson) => {
		const lessonId = content.ids.lessons.get(`${course.slug}/${lesson.slug}`)?.id;
		return lesson.practices.map((p) => {
			const s = lessonId === undefined ? undefined : stats.get(`${lessonId}/${p.id}`);
			// As on the course analytics: means and shares over fewer than MIN_LEARNERS people are not shown.
			const enough = (s?.learners ?? 0) >= MIN_LEARNERS;
			return {
				id: p.id,
				title: p.title,
				lesson: { title: lesson.title, url: lesson.url },
				url: `${lesson.url}/thuc-hanh/${p.id}`,
				started: s?.started ?? 0,
				completed: s?.completed ?? 0,
				learners: s?.learners ?? 0,
				learnersCompleted: s?.learnersCompleted ?? 0,
				enough,
				steps: Object.values(p.steps).map((step) => {
					const st = s?.steps.get(step.id);
					return {
						id: step.id,
						say: shortSay(step.say),
						end: step.end,
						reached: st?.reached ?? 0,
						meanWrong: enough ? (st?.meanWrong ?? 0) : null,
						shareWithWrong: enough ? (st?.shareWithWrong ?? 0) : null
					};
				})
			};
		});
	});

	return {
		course: { title: course.title, url: course.url, slug: course.slug },
		practices,
		filter: { unitId: unitId === null ? '' : String(unitId), from: from ?? '', to: to ?? '' },
		unitLabel: scope.unitLabel,
		options: scope.options,
		problems,
		minLearners: MIN_LEARNERS
	};
};
