import { getContent, findCourse, findLesson, type Course, type Lesson } from './index';
import { serverRendered } from '$lib/server-rendered';
import { competenceLabel, qd757Label } from './competences';
import { toPublicQuestion } from './gift/public';
import { blankQuizHtml } from './quiz-html';

/** What a catalog card shows: nothing that is not public. */
export interface CourseSummary {
	slug: string;
	code: string;
	title: string;
	summary: string;
	audience: string[];
	level: string;
	minutes: number;
	lessonCount: number;
	url: string;
}

function summarise(c: Course): CourseSummary {
	return {
		slug: c.slug,
		code: c.code,
		title: c.title,
		summary: c.summary,
		audience: c.audience,
		level: c.level,
		minutes: c.minutes,
		lessonCount: c.lessons.length,
		url: c.url
	};
}

export async function listCourses(audience?: string | null): Promise<CourseSummary[]> {
	const { courses } = await getContent();
	return courses.filter((c) => !audience || c.audience.includes(audience as never)).map(summarise);
}

export async function getCoursePage(slug: string) {
	const course = await findCourse(slug);
	if (!course) return undefined;
	return {
		...summarise(course),
		introHtml: course.introHtml,
		completion: course.completion,
		passMark: course.passMark,
		competences: course.competences.map((tag) => ({ tag, label: competenceLabel(tag) })),
		qd757: course.qd757.map((group) => ({ group, label: qd757Label(group) })),
		sources: course.sources,
		lessons: course.lessons.map((l) => ({
			slug: l.slug,
			title: l.title,
			minutes: l.minutes,
			url: l.url,
			questionCount: l.questions.length,
			practiceCount: l.practices.length,
			hasVideo: l.hasVideo
		}))
	};
}

// The public quiz of a lesson only changes when content is reloaded (a new Lesson object): build it once.
// Its texts go through Markdown and the sanitiser, loaded with the first quiz shown (the course list needs neither).
const publicQuizzes = new WeakMap<Lesson, ReturnType<typeof toPublicQuestion>[]>();
async function publicQuiz(lesson: Lesson) {
	let quiz = publicQuizzes.get(lesson);
	if (!quiz) {
		const { renderGiftText } = await import('./gift-html');
		quiz = serverRendered(lesson.questions.map((q) => toPublicQuestion(q, renderGiftText)));
		publicQuizzes.set(lesson, quiz);
	}
	return quiz;
}

const link = (l: Lesson | undefined) => (l ? { title: l.title, url: l.url } : null);

/** A lesson as the page shows it: rendered HTML and the quiz without its answer key. */
export async function getLessonPage(courseSlug: string, lessonSlug: string) {
	const found = await findLesson(courseSlug, lessonSlug);
	if (!found) return undefined;
	const { course, lesson, index } = found;
	const quiz = await publicQuiz(lesson);
	return {
		course: { slug: course.slug, title: course.title, url: course.url, lessonCount: course.lessons.length },
		lesson: serverRendered({
			slug: lesson.slug,
			title: lesson.title,
			minutes: lesson.minutes,
			html: lesson.html,
			toc: lesson.toc,
			hasVideo: lesson.hasVideo,
			description: lesson.description,
			passMark: lesson.passMark,
			sources: lesson.sources,
			number: index + 1
		}),
		quiz,
		/** The quiz's questions, unanswered, as HTML (the page shows this unless it shows a result). */
		blankQuiz: serverRendered({ html: blankQuizHtml(quiz) }),
		prev: link(course.lessons[index - 1]),
		next: link(course.lessons[index + 1])
	};
}
