import { render } from 'svelte/server';
import QuizFields from '$lib/components/QuizFields.svelte';
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
