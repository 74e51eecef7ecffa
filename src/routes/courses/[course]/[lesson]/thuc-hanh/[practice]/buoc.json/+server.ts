import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findLesson } from '$lib/server/content';
import { inputMaxLength, type PracticeMove } from '$lib/server/content/practice/play';
import { db } from '$lib/server/db';
import { ensureLearner } from '$lib/server/auth/guards';
import { isValidSubmissionKey } from '$lib/server/learning/attempts';
import { LearnerGoneError } from '$lib/server/learning/lock';
import { recordPracticeRun } from '$lib/server/learning/practice-runs';
import { formatRecordCode } from '$lib/server/learning/record-code';

async function findPractice(params: { course: string; lesson: string; practice: string }) {
	const found = await findLesson(params.course, params.lesson);
	const practice = found?.lesson.practices.find((p) => p.id === params.practice);
	if (!found || !practice) error(404, 'Không tìm thấy bài thực hành');
	return practice;
}

/**
 * The practice's steps for the script that plays it without page loads. It holds where each tap leads: the pages
 * without JavaScript show every target as a button anyway, and what counts is decided on the server (POST).
 */
export const GET: RequestHandler = async ({ params }) => {
	const practice = await findPractice(params);
	const steps = Object.fromEntries(
		Object.values(practice.steps).map((s) => {
			const screen = practice.screens[s.screen];
			const [vx, vy, vw, vh] = screen.viewBox;
			return [
				s.id,
				{
					say: s.say,
					hint: s.hint,
					end: s.end,
					feedback: s.feedback,
					screen: screen.url,
					ratio: `${vw} / ${vh}`,
					targets: s.targets.map((t) => ({
						label: t.label,
						box: [((t.region[0] - vx) / vw) * 100, ((t.region[1] - vy) / vh) * 100, (t.region[2] / vw) * 100, (t.region[3] / vh) * 100],
						go: t.go,
						wrong: t.wrong
					})),
					input: s.input && { label: s.input.label, pattern: s.input.pattern, message: s.input.message, max: inputMaxLength(s.input), go: s.input.go }
				}
			];
		})
	);
	return json({ start: practice.start, steps });
};

function readMoves(value: unknown): PracticeMove[] | null {
	if (!Array.isArray(value)) return null;
	const out: PracticeMove[] = [];
	for (const m of value) {
		if (!m || typeof m !== 'object' || typeof m.step !== 'string') return null;
		if (Number.isInteger(m.target)) out.push({ step: m.step, target: m.target });
		else if (typeof m.value === 'string' && m.value.length <= 1000) out.push({ step: m.step, value: m.value });
		else return null;
	}
	return out;
}

/**
 * A run played by the script, sent whole ({ run, moves }): replayed and counted on the server. A visitor becomes a
 * guest here, as at their first move on the pages without JavaScript.
 */
export const POST: RequestHandler = async (event) => {
	const practice = await findPractice(event.params);
	const body = await event.request.json().catch(() => null);
	const moves = readMoves(body?.moves);
	if (!isValidSubmissionKey(body?.run) || !moves) return json({ saved: false, message: 'Không đọc được lần làm này.' }, { status: 400 });
	const learner = await ensureLearner(event);
	if (!learner.ok) return json({ saved: false, message: learner.message }, { status: 429 });
	try {
		const result = await recordPracticeRun(await db(), {
			userId: learner.user.id,
			courseSlug: event.params.course,
			lessonSlug: event.params.lesson,
			practiceId: practice.id,
			runKey: body.run
		}, moves);
		if (!result.ok) return json({ saved: false, message: 'Lần làm này không khớp với bài thực hành. Hãy tải lại trang.' }, { status: 400 });
		return json({ saved: true, completed: result.completed, recordCode: result.record && !result.record.revokedAt ? formatRecordCode(result.record.code) : null });
	} catch (e) {
		if (e instanceof LearnerGoneError) return json({ saved: false, message: 'Bạn vừa đăng nhập ở trang khác. Hãy tải lại trang.' }, { status: 409 });
		throw e;
	}
};
