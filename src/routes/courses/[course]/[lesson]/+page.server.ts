import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getLessonPage } from '$lib/server/content/catalog';
import { findLesson } from '$lib/server/content';
import { readQuizResponses } from '$lib/server/content/gift/form';
import { VIDEOJS_BASE } from '$lib/server/video-assets';
import { db } from '$lib/server/db';
import { ensureLearner } from '$lib/server/auth/guards';
import {
	gradeSubmission,
	isValidSubmissionKey,
	newSubmissionKey,
	submitQuiz,
	submitQuizInOneStatement,
	type GradedAttempt,
	type GradedSubmission
} from '$lib/server/learning/attempts';
import { deferredSessionId, finishSessionCheck, useSessionRow } from '$lib/server/auth/request-session';
import { findLessonProgress, markLessonRead, recordLessonOpened } from '$lib/server/learning/progress';
import { LearnerGoneError } from '$lib/server/learning/lock';
import { formatScore, toResultViews } from '$lib/server/learning/quiz-view';
import { parseId } from '$lib/ids';
import { formHasNul, NUL_MESSAGE } from '$lib/server/malformed-request';
import { serverRendered } from '$lib/server-rendered';
import { ATTEMPT_PARAM, completionView, storedResultView, type ResultView } from '$lib/server/learning/result-view';

const SIGNED_IN_ELSEWHERE =
	'Bạn vừa đăng nhập ở một trang khác nên lần gửi này chưa được lưu. Hãy tải lại trang này rồi gửi lại: kết quả sẽ được lưu vào tài khoản của bạn.';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const page = await getLessonPage(params.course, params.lesson);
	if (!page) error(404, 'Không tìm thấy bài học');
	const user = locals.user;
	// Read with the session where the request allowed it (see authHandle in hooks.server.ts).
	const known = locals.lessonProgress?.course === params.course && locals.lessonProgress.lesson === params.lesson ? locals.lessonProgress : undefined;
	const progress = !user ? null : known ? known.progress : await findLessonProgress(await db(), user.id, params.course, params.lesson);
	// The first opening counts for the trainers' analytics; the session's query said whether this is one.
	if (user?.kind === 'learner' && !known?.opened) await recordLessonOpened(await db(), user.id, params.course, params.lesson);
	// Only the learner's own attempt is shown; another id is ignored (the page shows the quiz as new).
	const attemptParam = url.searchParams.get(ATTEMPT_PARAM);
	const attemptId = parseId(attemptParam);
	if (attemptParam !== null && attemptId === null) {
		error(400, 'Địa chỉ này có số lần làm bài không hợp lệ. Hãy mở lại bài học từ danh sách bài của khóa học.');
	}
	const result = user && attemptId ? await storedResultView(await db(), user, params.course, params.lesson, attemptId, page.lesson.passMark) : undefined;
	// The page ships no client code (csr = false): none of its data is written into the page (see serverRendered).
	return serverRendered({
		...page,
		result: result ?? null,
		videoBase: VIDEOJS_BASE,
		// A new key on every render: the form as shown is recorded once, however often it is sent.
		submission: newSubmissionKey(),
		progress: progress && { ...progress, bestScoreText: progress.bestScore === null ? null : formatScore(progress.bestScore) }
	});
};

/** Post/redirect/get: an attempt's result is a page of its own, so reloading it never sends the answers again. */
function resultAddress(url: URL, attemptId: number): string {
	return `${url.pathname}?${ATTEMPT_PARAM}=${attemptId}#ket-qua`;
}

/** A result shown but not stored (a visitor's quiz not passed yet, or one that could not be kept). */
async function unsavedResult(graded: GradedSubmission, passMark: number): Promise<ResultView> {
	return {
		score: graded.score,
		scoreText: formatScore(graded.score),
		passed: graded.passed,
		passMark,
		responses: graded.responses,
		results: await toResultViews(graded.grades),
		guest: true,
		saved: false,
		completed: false,
		recordCode: null
	};
}

export const actions: Actions = {
	quiz: async (event) => {
		const found = await findLesson(event.params.course, event.params.lesson);
		const form = found?.lesson.questions.length ? await event.request.formData() : null;
		// The hooks leave this form's body to this action (isQuizFormPost): a NUL is refused here, before anything.
		if (form && formHasNul(form)) {
			await finishSessionCheck(event);
			error(400, NUL_MESSAGE);
		}
		const key = form?.get('submission');
		const quizInput = found && form && { courseSlug: event.params.course, lessonSlug: event.params.lesson, responses: readQuizResponses(form, found.lesson.questions) };
		const sessionId = deferredSessionId(event);
		let graded: GradedAttempt | undefined;
		if (quizInput && sessionId && isValidSubmissionKey(key)) {
			// The common case in one statement: session check, learner lock, attempt and best score together.
			const quick = await submitQuizInOneStatement(await db(), { ...quizInput, submissionKey: key, sessionId });
			if (quick.outcome !== 'no-session') useSessionRow(event, quick.row);
			if (quick.outcome === 'stored') redirect(303, resultAddress(event.url, quick.attemptId));
			if (quick.outcome === 'session-only') graded = quick.graded;
		}
		// Any other way through: the session is checked as for any request before anything reads it.
		await finishSessionCheck(event);
		if (!found || !quizInput) error(404, 'Không tìm thấy bài kiểm tra');
		if (!isValidSubmissionKey(key)) {
			return fail(400, { quizMessage: 'Không đọc được bài làm. Hãy tải lại trang rồi làm lại bài kiểm tra.' });
		}
		const { lesson } = found;
		let user = event.locals.user;
		if (!user) {
			// A visitor keeps nothing until they pass: their answers are graded and shown, and nothing is written.
			const graded = await gradeSubmission(quizInput);
			if (!graded.passed) return { result: await unsavedResult(graded, lesson.passMark) };
			const learner = await ensureLearner(event);
			if (!learner.ok) return fail(429, { result: await unsavedResult(graded, lesson.passMark), quizMessage: learner.message });
			user = learner.user;
		}
		let result;
		try {
			result = await submitQuiz(await db(), { ...quizInput, userId: user.id, submissionKey: key }, undefined, graded);
		} catch (e) {
			// The guest logged in on another page while this was sent: their progress now belongs to the account.
			if (!(e instanceof LearnerGoneError)) throw e;
			return fail(409, { result: await unsavedResult(await gradeSubmission(quizInput), lesson.passMark), quizMessage: SIGNED_IN_ELSEWHERE });
		}
		redirect(303, resultAddress(event.url, result.attempt.id));
	},

	done: async (event) => {
		const found = await findLesson(event.params.course, event.params.lesson);
		if (!found) error(404, 'Không tìm thấy bài học');
		const learner = await ensureLearner(event);
		if (!learner.ok) return fail(429, { quizMessage: learner.message });
		const { user } = learner;
		let record;
		try {
			({ record } = await markLessonRead(await db(), { userId: user.id, courseSlug: event.params.course, lessonSlug: event.params.lesson }));
		} catch (e) {
			if (e instanceof LearnerGoneError) return fail(409, { quizMessage: SIGNED_IN_ELSEWHERE });
			throw e;
		}
		return { done: { guest: user.kind === 'guest', ...(await completionView(await db(), user.id, user.kind, event.params.course, record)) } };
	}
};
