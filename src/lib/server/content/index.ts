import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db';
import { loadContent, type Content, type Course, type Lesson } from './loader';
import { ContentError } from './problems';
import { syncContent, type ContentIds } from './sync';

export type { Content, Course, Lesson } from './loader';
export type { ContentIds, VersionRef } from './sync';
export { ContentError, formatProblem } from './problems';

export interface PublishedContent extends Content {
	ids: ContentIds;
}

let state: Promise<PublishedContent> | undefined;
let watcher: fs.FSWatcher | undefined;

function contentRoot() {
	return process.env.HOCSO_CONTENT_DIR || 'content';
}

/**
 * The courses as published in the database. Loaded once; in development (HOCSO_WATCH_CONTENT or vite dev) a
 * change under content/ makes the next request reload and republish. Throws ContentError when content is invalid.
 */
export function getContent(): Promise<PublishedContent> {
	state ??= (async () => {
		const content = loadContent(contentRoot());
		if (content.problems.some((p) => p.severity === 'error')) throw new ContentError(content.problems);
		const ids = await syncContent(await db(), content);
		return { ...content, ids };
	})();
	// A failed load is retried on the next request (a trainer fixing a file in development).
	state.catch(() => {
		state = undefined;
	});
	return state;
}

/** Reload content when files change (development). */
export function watchContent(): void {
	if (watcher) return;
	watcher = fs.watch(path.resolve(contentRoot()), { recursive: true }, () => {
		state = undefined;
	});
	watcher.unref();
}

export async function findCourse(slug: string): Promise<Course | undefined> {
	return (await getContent()).courses.find((c) => c.slug === slug);
}

export async function findLesson(courseSlug: string, lessonSlug: string): Promise<{ course: Course; lesson: Lesson; index: number } | undefined> {
	const course = await findCourse(courseSlug);
	const index = course?.lessons.findIndex((l) => l.slug === lessonSlug) ?? -1;
	if (!course || index < 0) return undefined;
	return { course, lesson: course.lessons[index], index };
}
