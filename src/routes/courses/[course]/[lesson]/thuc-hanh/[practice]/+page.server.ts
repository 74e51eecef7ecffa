import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { findLesson } from '$lib/server/content';
import type { Practice, PracticeStep } from '$lib/server/content/practice';

export const csr = false;

/** Query parameters: the current step, and the wrong target just tapped (to show its feedback and the hint). */
const STEP = 'buoc';
const WRONG = 'sai';

async function findPractice(params: { course: string; lesson: string; practice: string }) {
	const found = await findLesson(params.course, params.lesson);
	const practice = found?.lesson.practices.find((p) => p.id === params.practice);
	if (!found || !practice) error(404, 'Không tìm thấy bài thực hành');
	return { ...found, practice };
}

function findStep(practice: Practice, id: string | null): PracticeStep {
	const step = Object.hasOwn(practice.steps, id ?? practice.start) ? practice.steps[id ?? practice.start] : undefined;
	if (!step) error(404, 'Không tìm thấy bước thực hành này');
	return step;
}

function stepUrl(url: URL, step: string, wrong?: number) {
	const to = new URL(url.pathname, url.origin);
	to.searchParams.set(STEP, step);
	if (wrong !== undefined) to.searchParams.set(WRONG, String(wrong));
	return to.pathname + to.search;
}

export const load: PageServerLoad = async ({ params, url }) => {
	const { course, lesson, practice } = await findPractice(params);
	const step = findStep(practice, url.searchParams.get(STEP));
	const wrongIndex = Number(url.searchParams.get(WRONG));
	const wrong = url.searchParams.has(WRONG) && Number.isInteger(wrongIndex) ? step.targets[wrongIndex]?.wrong ?? null : null;
	const screen = practice.screens[step.screen];
	const [vx, vy, vw, vh] = screen.viewBox;
	const steps = Object.keys(practice.steps);
	// Only what the page shows: which target is right stays on the server.
	return {
		course: { title: course.title, url: course.url },
		lesson: { title: lesson.title, url: lesson.url },
		practice: { id: practice.id, title: practice.title },
		step: {
			id: step.id,
			number: steps.indexOf(step.id) + 1,
			say: step.say,
			end: step.end,
			feedback: step.end ? step.feedback : null,
			hint: wrong ? step.hint : null,
			wrong,
			screen: { url: screen.url, ratio: `${vw} / ${vh}` },
			targets: step.targets.map((t, i) => ({
				index: i,
				label: t.label,
				left: ((t.region[0] - vx) / vw) * 100,
				top: ((t.region[1] - vy) / vh) * 100,
				width: (t.region[2] / vw) * 100,
				height: (t.region[3] / vh) * 100
			})),
			input: step.input ? { label: step.input.label } : null
		},
		restart: stepUrl(url, practice.start)
	};
};

export const actions: Actions = {
	tap: async ({ params, request, url }) => {
		const { practice } = await findPractice(params);
		const form = await request.formData();
		const step = findStep(practice, String(form.get('step') ?? ''));
		const index = Number(form.get('target'));
		const target = Number.isInteger(index) ? step.targets[index] : undefined;
		if (!target) return fail(400, { message: 'Không đọc được chỗ bạn vừa chạm. Hãy chạm lại.' });
		if (target.go) redirect(303, stepUrl(url, target.go));
		redirect(303, stepUrl(url, step.id, index));
	},
	input: async ({ params, request, url }) => {
		const { practice } = await findPractice(params);
		const form = await request.formData();
		const step = findStep(practice, String(form.get('step') ?? ''));
		if (!step.input) return fail(400, { message: 'Bước này không có ô nhập. Hãy tải lại trang.' });
		const value = String(form.get('value') ?? '').trim();
		if (!new RegExp(step.input.pattern, 'u').test(value)) {
			return fail(400, { message: step.input.message, value, hint: step.hint });
		}
		redirect(303, stepUrl(url, step.input.go));
	}
};
