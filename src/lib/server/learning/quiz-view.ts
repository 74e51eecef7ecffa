import type { GiftText, GradeResult, GradeState } from '../content/gift/types';

/** What QuizQuestion's `result` prop shows for one graded question. */
export interface QuestionResultView {
	state: GradeState;
	feedbackHtml: string[];
	generalFeedbackHtml?: string;
}

// Feedback texts are objects of the loaded content, which stays the same until content is reloaded: render each
// once instead of running the sanitiser on every submission. The renderer (Markdown and the sanitiser) is loaded
// with the first result shown, not at every start.
const rendered = new WeakMap<GiftText, string>();
let renderer: Promise<typeof import('../content/gift-html')> | undefined;
function render(t: GiftText, renderGiftText: (t: GiftText) => string): string {
	let html = rendered.get(t);
	if (html === undefined) {
		html = renderGiftText(t);
		rendered.set(t, html);
	}
	return html;
}

/** Graded questions as the page shows them after submitting: verdict, answer feedback, general feedback. */
export async function toResultViews(grades: Record<string, GradeResult>): Promise<Record<string, QuestionResultView>> {
	const { renderGiftText } = await (renderer ??= import('../content/gift-html'));
	const out: Record<string, QuestionResultView> = {};
	for (const [id, g] of Object.entries(grades)) {
		out[id] = {
			state: g.state,
			feedbackHtml: g.feedback.map((t) => render(t, renderGiftText)),
			...(g.generalFeedback ? { generalFeedbackHtml: render(g.generalFeedback, renderGiftText) } : {})
		};
	}
	return out;
}

export { formatScore } from './score';
