import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { findLesson } from '$lib/server/content';
import type { Practice, PracticeStep } from '$lib/server/content/practice';
import { inputMaxLength, inputProblem, stepOf, type PracticeMove } from '$lib/server/content/practice/play';
import { db } from '$lib/server/db';
import { ensureLearner } from '$lib/server/auth/guards';
import { isValidSubmissionKey, newSubmissionKey } from '$lib/server/learning/attempts';
import { LearnerGoneError } from '$lib/server/learning/lock';
import { findPracticeCompletion, recordPracticeMove } from '$lib/server/learning/practice-runs';
import { formatRecordCode } from '$lib/server/learning/record-code';

export const csr = false;

/** Query parameters: the current step, the wrong target just tapped (to show its feedback and the hint), the run. */
const STEP = 'buoc';
const WRONG = 'sai';
const RUN = 'lan';

async function findPractice(params: { course: string; lesson: string; practice: string }) {
	const found = await findLesson(params.course, params.lesson);
	const practice = found?.lesson.practices.find((p) => p.id === params.practice);
	if (!found || !practice) error(404, 'Không tìm thấy bài thực hành');
	return { ...found, practice };
}

function findStep(practice: Practice, id: string | null): PracticeStep {
	const step = stepOf(practice, id ?? practice.start);
	if (!step) error(404, 'Không tìm thấy bước thực hành này');
	return step;
}

/** A step's address; after a move it ends in #thuc-hanh, so the page opens at the instruction and screen. */
function stepUrl(url: URL, step: string, run: string | null, wrong?: number, atPractice = true) {
	const to = new URL(url.pathname, url.origin);
	to.searchParams.set(STEP, step);
	if (run) to.searchParams.set(RUN, run);
	if (wrong !== undefined) to.searchParams.set(WRONG, String(wrong));
	return to.pathname + to.search + (atPractice ? '#thuc-hanh' : '');
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const { course, lesson, practice } = await findPractice(params);
	const step = findStep(practice, url.searchParams.get(STEP));
	const wrongIndex = Number(url.searchParams.get(WRONG));
	const wrong = url.searchParams.has(WRONG) && Number.isInteger(wrongIndex) ? step.targets[wrongIndex]?.wrong ?? null : null;
	const screen = practice.screens[step.screen];
	const [vx, vy, vw, vh] = screen.viewBox;
	const steps = Object.keys(practice.steps);
	const runParam = url.searchParams.get(RUN);
	const done = step.end && locals.user ? await findPracticeCompletion(await db(), locals.user.id, { courseSlug: params.course, lessonSlug: params.lesson, practice }) : null;
	// Only what the page shows: which target is right stays on the server.
	return {
		course: { title: course.title, url: course.url },
		lesson: { title: lesson.title, url: lesson.url },
		practice: { id: practice.id, title: practice.title },
		// The run this page belongs to: kept in the address from step to step, new when the practice is started.
		run: isValidSubmissionKey(runParam) ? runParam : newSubmissionKey(),
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
			input: step.input ? { label: step.input.label, maxlength: inputMaxLength(step.input) } : null
		},
		saved: done && { completed: done.completed, recordCode: done.recordCode && formatRecordCode(done.recordCode) },
		restart: stepUrl(url, practice.start, null, undefined, false)
	};
};

/**
 * Counts the move for the person playing (a visitor becomes a guest at their first move, as with a passed quiz).
 * Never stops the practice: when it cannot be kept (too many new guests from one network, the guest just logged in
 * elsewhere) the learner plays on and the move is not counted.
 */
async function count(event: RequestEvent, practice: Practice, run: string, move: PracticeMove) {
	const learner = await ensureLearner(event);
	if (!learner.ok) return;
	const { course, lesson } = event.params as { course: string; lesson: string };
	try {
		await recordPracticeMove(await db(), { userId: learner.user.id, courseSlug: course, lessonSlug: lesson, practiceId: practice.id, runKey: run }, move);
	} catch (e) {
		if (!(e instanceof LearnerGoneError)) throw e;
	}
}

function readRun(form: FormData): string | null {
	const run = form.get(RUN);
	return isValidSubmissionKey(run) ? run : null;
}

export const actions: Actions = {
	tap: async (event) => {
		const { params, request, url } = event;
		const { practice } = await findPractice(params as { course: string; lesson: string; practice: string });
		const form = await request.formData();
		const step = findStep(practice, String(form.get('step') ?? ''));
		const index = Number(form.get('target'));
		const target = Number.isInteger(index) ? step.targets[index] : undefined;
		if (!target) return fail(400, { message: 'Không đọc được chỗ bạn vừa chạm. Hãy chạm lại.' });
		const run = readRun(form);
		if (run) await count(event, practice, run, { step: step.id, target: index });
		if (target.go) redirect(303, stepUrl(url, target.go, run));
		redirect(303, stepUrl(url, step.id, run, index));
	},
	input: async (event) => {
		const { params, request, url } = event;
		const { practice } = await findPractice(params as { course: string; lesson: string; practice: string });
		const form = await request.formData();
		const step = findStep(practice, String(form.get('step') ?? ''));
		if (!step.input) return fail(400, { message: 'Bước này không có ô nhập. Hãy tải lại trang.' });
		const value = String(form.get('value') ?? '').trim();
		const run = readRun(form);
		if (run) await count(event, practice, run, { step: step.id, value });
		const problem = inputProblem(step.input, value);
		if (problem) return fail(400, { message: problem, value: value.slice(0, 1000), hint: step.hint });
		redirect(303, stepUrl(url, step.input.go, run));
	}
};
