/** A course's completion rule, from its front matter (`completion:`). */
export type CompletionRule = 'all-lessons-and-quizzes' | 'all-quizzes' | 'all-lessons' | 'all-lessons-quizzes-and-practices';
export const COMPLETION_RULES: CompletionRule[] = ['all-lessons-and-quizzes', 'all-quizzes', 'all-lessons', 'all-lessons-quizzes-and-practices'];

export interface LessonState {
	hasQuiz: boolean;
	read: boolean;
	passed: boolean;
	bestScore: number | null;
	/** Practices of the lesson (as published now) the learner has not completed yet. */
	practicesLeft: number;
}

/** Whether the rule asks for every practice to be completed. */
export function rulesNeedPractices(rule: CompletionRule): boolean {
	return rule === 'all-lessons-quizzes-and-practices';
}

/**
 * Whether, under the rule, a course is complete only when every lesson with a quiz has it passed. Every rule but
 * 'all-lessons' (reading is enough there); under 'all-quizzes' a course without quizzes asks for reading, but then
 * no lesson has a quiz to pass.
 */
export function rulesNeedQuizPassed(rule: CompletionRule): boolean {
	return rule !== 'all-lessons';
}

/**
 * A lesson with a quiz is done when read and passed (submitting the quiz counts as reading to the end); under a rule
 * that needs practices, its practices completed too.
 */
export function isLessonDone(l: LessonState, rule?: CompletionRule): boolean {
	return l.read && (!l.hasQuiz || l.passed) && (!rule || !rulesNeedPractices(rule) || l.practicesLeft === 0);
}

/** Whether the learner meets the course's completion rule. A course with no lesson is never complete. */
export function meetsRule(rule: CompletionRule, lessons: LessonState[]): boolean {
	if (lessons.length === 0) return false;
	const quizzes = lessons.filter((l) => l.hasQuiz);
	switch (rule) {
		case 'all-lessons':
			return lessons.every((l) => l.read);
		case 'all-quizzes':
			// Note: a course without any quiz under this rule falls back to reading every lesson.
			return quizzes.length ? quizzes.every((l) => l.passed) : lessons.every((l) => l.read);
		case 'all-lessons-quizzes-and-practices':
			return lessons.every((l) => isLessonDone(l, rule));
		case 'all-lessons-and-quizzes':
		default:
			return lessons.every((l) => isLessonDone(l));
	}
}

/** The record's score: mean of the best scores of the course's quizzes (0 for one never tried), null without quizzes. */
export function courseScore(lessons: LessonState[]): number | null {
	const quizzes = lessons.filter((l) => l.hasQuiz);
	if (!quizzes.length) return null;
	const mean = quizzes.reduce((t, l) => t + (l.bestScore ?? 0), 0) / quizzes.length;
	return Math.round(mean * 100) / 100;
}
