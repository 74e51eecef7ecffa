import { render } from 'svelte/server';
import type { ComponentProps } from 'svelte';
import QuizFields from '$lib/components/QuizFields.svelte';
import QuizResultNotice from '$lib/components/QuizResultNotice.svelte';
import type { PublicQuestion } from './gift/types';

// A quiz not yet answered looks the same for every reader of a published version: its questions are rendered
// once per version (the public quiz of a Lesson object, see catalog.ts) and put into each page as HTML.
// Question texts are rendered and sanitised when the content is loaded; everything else is escaped by Svelte.
const rendered = new WeakMap<PublicQuestion[], string>();

/** The questions of a quiz as a fresh form shows them (no answer filled in, no result). */
export function blankQuizHtml(questions: PublicQuestion[]): string {
	let html = rendered.get(questions);
	if (html === undefined) {
		html = render(QuizFields, { props: { questions } }).body;
		rendered.set(questions, html);
	}
	return html;
}

/** The questions of a quiz with a learner's answers and their results, as the page shows them after a submission. */
export function answeredQuizHtml(questions: PublicQuestion[], responses: ComponentProps<typeof QuizFields>['responses'], results: ComponentProps<typeof QuizFields>['results']): string {
	return render(QuizFields, { props: { questions, responses, results } }).body;
}

/** The result notice above a lesson (and the course completed, if it is), as the lesson page renders it. */
export function resultNoticeHtml(props: ComponentProps<typeof QuizResultNotice>): string {
	return render(QuizResultNotice, { props }).body;
}
