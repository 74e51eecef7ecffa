import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guards';
import { writeAudit } from '$lib/server/audit';
import { findUserByLogin } from '$lib/server/auth/find-user';
import { assignCourse, CourseNotFoundError, listAssignableCourses, listAssignments, removeAssignment } from '$lib/server/learning/assignments';
import { formatDueDate, parseDueDate, vietnamDay } from '$lib/server/learning/due-date';
import { parseId } from '$lib/ids';

export const csr = false;

const LIMIT = 200;
const COURSE_GONE = 'Không có khóa học này trong danh sách khóa đang mở. Hãy chọn một khóa trong danh sách.';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const database = await db();
	const [courses, list] = await Promise.all([listAssignableCourses(database), listAssignments(database, LIMIT)]);
	const now = Date.now();
	return {
		courses,
		today: vietnamDay(),
		total: list.total,
		assignments: list.items.map((a) => ({
			id: a.id,
			learner: a.learnerName ?? '(không có tên)',
			login: a.learnerLogin,
			courseTitle: a.courseTitle,
			dueText: a.dueAt ? formatDueDate(a.dueAt) : null,
			overdue: !a.done && !!a.dueAt && a.dueAt.getTime() < now,
			status: a.recordRevoked ? 'Giấy chứng nhận đã bị thu hồi' : a.done ? 'Đã hoàn thành' : 'Chưa hoàn thành'
		}))
	};
};

export const actions: Actions = {
	assign: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await event.request.formData();
		const values = {
			login: String(form.get('login') ?? '').slice(0, 64),
			course: String(form.get('course') ?? '').slice(0, 100),
			due: String(form.get('due') ?? '').slice(0, 20)
		};
		if (!values.login.trim()) return fail(400, { ...values, field: 'login', message: 'Hãy nhập số điện thoại hoặc tên đăng nhập của người học.' });
		if (!values.course) return fail(400, { ...values, field: 'course', message: 'Hãy chọn khóa học cần giao.' });
		const due = parseDueDate(values.due);
		if (!due.ok) return fail(400, { ...values, field: 'due', message: due.message });
		const database = await db();
		const learner = await findUserByLogin(database, values.login);
		if (!learner) {
			return fail(400, {
				...values,
				field: 'login',
				message: 'Không tìm thấy người học có số điện thoại hoặc tên đăng nhập này. Hãy kiểm tra lại, hoặc nhờ người đó đăng ký tài khoản trước.'
			});
		}
		const course = (await listAssignableCourses(database)).find((c) => c.slug === values.course);
		if (!course) return fail(400, { ...values, field: 'course', message: COURSE_GONE });
		try {
			const { created } = await database.transaction().execute(async (trx) => {
				const result = await assignCourse(trx, { userId: learner.id, courseSlug: course.slug, dueAt: due.dueAt, assignedBy: admin.id });
				await writeAudit(trx, {
					actorUserId: admin.id,
					action: 'assignment.create',
					unitId: learner.unitId,
					targetUserId: learner.id,
					details: { course: course.slug, due: values.due || null, updated: !result.created }
				});
				return result;
			});
			const who = learner.fullName ?? values.login.trim();
			const dueText = due.dueAt ? `hạn hoàn thành ${formatDueDate(due.dueAt)}` : 'không có hạn';
			return { done: created ? `Đã giao khóa “${course.title}” cho ${who}, ${dueText}.` : `${who} đã được giao khóa “${course.title}” từ trước. Đã cập nhật: nay ${dueText}.` };
		} catch (e) {
			if (e instanceof CourseNotFoundError) return fail(400, { ...values, field: 'course', message: COURSE_GONE });
			throw e;
		}
	},
	remove: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await event.request.formData();
		const id = parseId(form.get('id'));
		const removed =
			id === null
				? undefined
				: await (await db()).transaction().execute(async (trx) => {
						const gone = await removeAssignment(trx, id);
						if (gone) {
							await writeAudit(trx, { actorUserId: admin.id, action: 'assignment.remove', unitId: gone.learnerUnitId, targetUserId: gone.learnerId, details: { course: gone.courseSlug } });
						}
						return gone;
					});
		if (!removed) return fail(400, { removeMessage: 'Không tìm thấy lượt giao này: có thể đã được bỏ trước đó. Danh sách dưới đây là mới nhất.' });
		return { done: `Đã bỏ giao khóa “${removed.courseTitle}” của ${removed.learnerName ?? '(không có tên)'}.` };
	}
};
