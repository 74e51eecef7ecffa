import { renderGiftText } from '../content/gift-html';
import type { GradeResult, GradeState } from '../content/gift/types';

/** What QuizQuestion's `result` prop shows for one graded question. */
export interface QuestionResultView {
	state: GradeState;
	feedbackHtml: string[];
	generalFeedbackHtml?: string;
}

/** Graded questions as the page shows them after submitting: verdict, answer feedback, general feedback. */
export function toResultViews(grades: Record<string, GradeResult>): Record<string, QuestionResultView> {
	const out: Record<string, QuestionResultView> = {};
	for (const [id, g] of Object.entries(grades)) {
		out[id] = {
			state: g.state,
			feedbackHtml: g.feedback.map(renderGiftText),
			...(g.generalFeedback ? { generalFeedbackHtml: renderGiftText(g.generalFeedback) } : {})
		};
	}
	return out;
}

const scoreFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** 62.5 -> "62,5" (Vietnamese decimal comma, at most one decimal). */
export function formatScore(score: number): string {
	return scoreFormat.format(score);
}
