/**
 * Question banks in and out of Moodle: a course written as one .gift file (a category per lesson), and a .gift
 * file appended to a lesson as a ```gift block.
 */
import type { Course } from '../loader';
import { exportGift } from './export';
import { parseGift } from './parse';
import type { GiftProblem, GiftQuestion } from './types';

/** One level of a Moodle category path: a `/` inside a name is written `//` (Moodle's own escape). */
function categoryPart(name: string): string {
	return name.replace(/\s+/g, ' ').trim().replace(/\//g, '//');
}

/**
 * The category Moodle files a lesson's questions under: in the course's question bank, a category for the course
 * holding one per lesson, in lesson order ("$course$/top/K1 Làm quen.../01 Chạm, vuốt...").
 */
export function lessonCategory(course: Pick<Course, 'code' | 'title'>, lesson: { position: number; title: string }): string {
	const n = String(lesson.position).padStart(2, '0');
	return `$course$/top/${categoryPart(`${course.code} ${course.title}`)}/${categoryPart(`${n} ${lesson.title}`)}`;
}

/** A course's questions as a .gift file Moodle imports: a `$CATEGORY` per lesson, then its questions. */
export function exportCourseGift(course: Pick<Course, 'code' | 'title' | 'lessons'>): { text: string; questions: number; lessons: number } {
	const questions: GiftQuestion[] = [];
	let lessons = 0;
	for (const lesson of course.lessons) {
		if (lesson.questions.length === 0) continue;
		lessons++;
		const category = lessonCategory(course, lesson);
		for (const q of lesson.questions) questions.push({ ...q, category });
	}
	const header = `// ${course.code} ${course.title}: câu hỏi của ${lessons} bài, xuất từ Học Số.\n\n`;
	return { text: header + exportGift(questions), questions: questions.length, lessons };
}

export interface GiftImport {
	/** The lesson text with the block appended (unchanged when `problems` has errors). */
	text: string;
	questions: GiftQuestion[];
	/** Problems of the .gift file, at its own lines. */
	problems: GiftProblem[];
	/** File lines of the appended block's fences. */
	firstLine: number;
	lastLine: number;
}

/**
 * Appends the questions of a .gift file to a lesson as a ```gift block, keeping the file as written (comments,
 * categories, layout); line endings become `\n`. The file is checked first, with the ids it will get in the
 * lesson (`idPrefix`); on an error nothing is appended.
 */
export function appendGiftToLesson(lessonText: string, gift: string, idPrefix: string): GiftImport {
	const source = gift.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\s+$/, '');
	const parsed = parseGift(source, { idPrefix });
	const lines = lessonText.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
	if (parsed.problems.some((p) => p.severity === 'error')) {
		return { text: lessonText, questions: [], problems: parsed.problems, firstLine: 0, lastLine: 0 };
	}
	// A fence longer than any run of backticks in the file, so that nothing inside can close it.
	const longest = Math.max(2, ...(source.match(/`+/g) ?? []).map((r) => r.length));
	const fence = '`'.repeat(longest + 1);
	const firstLine = lines.length + 2;
	const block = [fence + 'gift', ...source.split('\n'), fence];
	const text = [...lines, '', ...block].join('\n') + '\n';
	return { text, questions: parsed.questions, problems: parsed.problems, firstLine, lastLine: firstLine + block.length - 1 };
}
