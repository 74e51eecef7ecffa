import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/auth/guards';
import { listMyAssignments } from '$lib/server/learning/assignments';
import { listCourseProgress } from '$lib/server/learning/progress';
import { formatRecordCode } from '$lib/server/learning/record-code';
import { formatDueDate } from '$lib/server/learning/due-date';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const database = await db();
	const [assignments, progress] = await Promise.all([listMyAssignments(database, user.id), listCourseProgress(database, user.id)]);
	const now = Date.now();
	const assigned = new Map(assignments.map((a) => [a.courseSlug, a]));
	const courses = [...progress.values()].map((c) => {
		const a = assigned.get(c.slug);
		const due = a?.dueAt ?? null;
		return {
			slug: c.slug,
			title: c.title,
			url: c.url,
			done: c.done,
			total: c.total,
			completed: c.completed,
			next: c.next,
			assigned: !!a,
			dueText: due ? formatDueDate(due) : null,
			overdue: !!due && !c.completed && due.getTime() < now,
			recordCode: c.record && !c.record.revoked ? formatRecordCode(c.record.code) : null,
			lastActive: c.lastActiveAt?.getTime() ?? 0,
			dueAt: due?.getTime() ?? Infinity
		};
	});
	// Unfinished first; among them assigned ones by due date, then the most recently studied.
	courses.sort((x, y) => Number(x.completed) - Number(y.completed) || x.dueAt - y.dueAt || y.lastActive - x.lastActive);
	// Who is learning, so that on a phone shared by a family each sees at once whose page this is.
	return { greeting: user.fullName, courses: courses.map(({ lastActive: _l, dueAt: _d, ...c }) => c) };
};
