import { describe, expect, it } from 'vitest';
import { courseScore, isLessonDone, meetsRule, type LessonState } from './completion';

const lesson = (hasQuiz: boolean, read: boolean, passed: boolean, bestScore: number | null = null, practicesLeft = 0): LessonState => ({ hasQuiz, read, passed, bestScore, practicesLeft });

describe('completion rules', () => {
	const readOnly = [lesson(false, true, false), lesson(true, true, false, 40)];
	const quizzesOnly = [lesson(false, false, false), lesson(true, true, true, 90)];
	const all = [lesson(false, true, false), lesson(true, true, true, 90)];

	it('all-lessons needs every lesson read, not quizzes passed', () => {
		expect(meetsRule('all-lessons', readOnly)).toBe(true);
		expect(meetsRule('all-lessons', quizzesOnly)).toBe(false);
	});
	it('all-quizzes needs every quiz passed, not other lessons read', () => {
		expect(meetsRule('all-quizzes', quizzesOnly)).toBe(true);
		expect(meetsRule('all-quizzes', readOnly)).toBe(false);
	});
	it('all-lessons-and-quizzes needs both', () => {
		expect(meetsRule('all-lessons-and-quizzes', all)).toBe(true);
		expect(meetsRule('all-lessons-and-quizzes', readOnly)).toBe(false);
		expect(meetsRule('all-lessons-and-quizzes', quizzesOnly)).toBe(false);
	});
	it('a course without lessons is never complete; without quizzes all-quizzes means reading', () => {
		expect(meetsRule('all-lessons', [])).toBe(false);
		expect(meetsRule('all-quizzes', [lesson(false, true, false)])).toBe(true);
		expect(meetsRule('all-quizzes', [lesson(false, false, false)])).toBe(false);
	});
	it('all-lessons-quizzes-and-practices also needs every practice completed; other rules do not', () => {
		const practiceLeft = [lesson(false, true, false), lesson(true, true, true, 90, 1)];
		expect(meetsRule('all-lessons-quizzes-and-practices', practiceLeft)).toBe(false);
		expect(meetsRule('all-lessons-and-quizzes', practiceLeft)).toBe(true);
		expect(meetsRule('all-lessons-quizzes-and-practices', all)).toBe(true);
		expect(meetsRule('all-lessons-quizzes-and-practices', [lesson(false, false, false)])).toBe(false);
		expect(isLessonDone(lesson(false, true, false, null, 2), 'all-lessons-quizzes-and-practices')).toBe(false);
		expect(isLessonDone(lesson(false, true, false, null, 2), 'all-lessons')).toBe(true);
	});
	it('a quiz lesson is done when read and passed', () => {
		expect(isLessonDone(lesson(true, true, false))).toBe(false);
		expect(isLessonDone(lesson(true, true, true))).toBe(true);
		expect(isLessonDone(lesson(false, true, false))).toBe(true);
	});
	it('score is the mean of best quiz scores, untried quizzes count 0', () => {
		expect(courseScore([lesson(true, true, true, 90), lesson(true, false, false, null), lesson(false, true, false)])).toBe(45);
		expect(courseScore([lesson(false, true, false)])).toBeNull();
		expect(courseScore([lesson(true, true, true, 100 / 3)])).toBe(33.33);
	});
});
