import { renderGiftText } from '../content/gift-html';
import type { GiftText, GradeResult, GradeState } from '../content/gift/types';

/** What QuizQuestion's `result` prop shows for one graded question. */
export interface QuestionResultView {
	state: GradeState;
	feedbackHtml: string[];
	generalFeedbackHtml?: string;
}

// Feedback texts are objects of the loaded content, which stays the same until content is reloaded: render each
// once instead of running the sanitiser on every submission.
const rendered = new WeakMap<GiftText, string>();
function render(t: GiftText): string {
	let html = rendered.get(t);
	if (html === undefined) {
		html = renderGiftText(t);
		rendered.set(t, html);
	}
	return html;
}

/** Graded questions as the page shows them after submitting: verdict, answer feedback, general feedback. */
export function toResultViews(grades: Record<string, GradeResult>): Record<string, QuestionResultView> {
	const out: Record<string, QuestionResultView> = {};
	for (const [id, g] of Object.entries(grades)) {
		out[id] = {
			state: g.state,
			feedbackHtml: g.feedback.map(render),
			...(g.generalFeedback ? { generalFeedbackHtml: render(g.generalFeedback) } : {})
		};
	}
	return out;
}

export { formatScore } from './score';
