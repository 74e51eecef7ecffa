import path from 'node:path';
import { db } from '../db';
import type { Course, Lesson } from './loader';
import { ContentPublisher, type ContentStatus, type PublishedContent } from './publisher';
import { removeRunFile, runDir, writeRunFile } from './app-registry';

export type { Content, Course, Lesson } from './loader';
export type { ContentIds, VersionRef } from './sync';
export type { ContentStatus, PublishedContent } from './publisher';
export { ContentError, formatProblem } from './problems';

let publisher: ContentPublisher | undefined;

function contentRoot() {
	return process.env.HOCSO_CONTENT_DIR || 'content';
}

function getPublisher(): ContentPublisher {
	publisher ??= new ContentPublisher({
		root: contentRoot(),
		db,
		log: { info: (m) => console.log(m), error: (m) => console.error(m) }
	});
	return publisher;
}

/**
 * The courses now published. The first call publishes the files (or serves the last published version when the
 * files have errors); throws ContentError when the files have errors and nothing was ever published.
 */
export function getContent(): Promise<PublishedContent> {
	return getPublisher().current();
}

/** What was last published and what the last reading of the files found. */
export function getContentStatus(): ContentStatus {
	return getPublisher().status();
}

/** Reads the files again and publishes them when they have no error (SIGHUP, `npm run content:publish`). */
export function reloadContent(): Promise<ContentStatus> {
	return getPublisher().reload();
}

/**
 * Publishes changes without a restart: reloads on SIGHUP, notes this process in the run folder for
 * `npm run content:publish`, and with `watch` reloads when a file under the content folder changes.
 * `awaitChanges` (development) makes a request that arrives after a save wait for the new version.
 */
export function startContentPublishing(opts: { watch: boolean; awaitChanges?: boolean }): void {
	if (publisher) return;
	const dir = runDir();
	const p = new ContentPublisher({
		root: contentRoot(),
		db,
		awaitChanges: opts.awaitChanges,
		log: { info: (m) => console.log(m), error: (m) => console.error(m) },
		onStatus: (status) => {
			try {
				writeRunFile(dir, { pid: process.pid, contentDir: path.resolve(contentRoot()), status });
			} catch (e) {
				console.error(`Không ghi được trạng thái xuất bản vào ${dir}: ${(e as Error).message}`);
			}
		}
	});
	publisher = p;
	if (opts.watch) p.watch(Number(process.env.HOCSO_CONTENT_POLL_MS) || 2000);
	process.on('SIGHUP', () => {
		console.log('Nhận SIGHUP: đọc lại nội dung khóa học.');
		p.reload().catch((e) => console.error(e));
	});
	process.once('sveltekit:shutdown', () => {
		p.close();
		removeRunFile(dir, process.pid);
	});
}

/**
 * Stops publishing (no more watching) and forgets the published content: the next getContent reads the folder
 * named by the environment then. For a process that serves one app after another, as the integration tests do.
 */
export function closeContent(): void {
	publisher?.close();
	publisher = undefined;
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
