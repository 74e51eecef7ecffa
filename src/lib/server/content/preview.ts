import path from 'node:path';
import { loadContent } from './loader';
import type { ContentProblem } from './problems';

export interface LessonPreview {
	courseTitle: string;
	lessonTitle: string;
	/** Where the learner reads it. */
	url: string;
	file: string;
	/** Problems of the lesson file and of its course.md, as the checker finds them in the files now. */
	problems: ContentProblem[];
	/** The other lessons of the course, to move between previews. */
	lessons: { slug: string; title: string; problems: number }[];
}

/**
 * What the preview of a lesson shows, read from the files as they are now (not the published version): the
 * checker's problems for the lesson and its course. Null when there is no such lesson file.
 * Note: re-reads every course; meant for development, where there are a few.
 */
export function previewLesson(root: string, courseSlug: string, lessonSlug: string): LessonPreview | null {
	const content = loadContent(root);
	const course = content.courses.find((c) => c.slug === courseSlug);
	const courseDir = course ? path.dirname(course.file) : findCourseDir(content.problems, courseSlug);
	if (!courseDir) return null;
	const lessonFileOf = (slug: string) => course?.lessons.find((l) => l.slug === slug)?.file;
	// A lesson whose front matter is broken is missing from the course: find its file by name.
	const file = lessonFileOf(lessonSlug) ?? content.problems.find((p) => path.dirname(p.file) === courseDir && new RegExp(`^\\d+-${lessonSlug}\\.md$`).test(path.basename(p.file)))?.file;
	if (!file) return null;
	const courseFile = path.join(courseDir, 'course.md');
	const problems = content.problems.filter((p) => p.file === file || p.file === courseFile).sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === file ? -1 : 1));
	const lesson = course?.lessons.find((l) => l.slug === lessonSlug);
	return {
		courseTitle: course?.title ?? courseSlug,
		lessonTitle: lesson?.title ?? lessonSlug,
		url: `/courses/${courseSlug}/${lessonSlug}`,
		file,
		problems,
		lessons: (course?.lessons ?? []).map((l) => ({ slug: l.slug, title: l.title, problems: content.problems.filter((p) => p.file === l.file).length }))
	};
}

function findCourseDir(problems: ContentProblem[], courseSlug: string): string | undefined {
	const p = problems.find((x) => new RegExp(`(^|/)\\d+-${courseSlug}(/|$)`).test(x.file));
	if (!p) return undefined;
	const parts = p.file.split('/');
	const i = parts.findIndex((s) => new RegExp(`^\\d+-${courseSlug}$`).test(s));
	return parts.slice(0, i + 1).join('/');
}
