import { findCourse } from '$lib/server/content';
import { findMediaFile } from '$lib/server/content/media';

/**
 * What a phone stores to learn a course without signal: the course page, every lesson page (with its quiz form,
 * which holds no answer key) and the pictures, posters and captions the lessons show. Videos are left out (they
 * play when the phone is online). `version` changes whenever a lesson or a file it uses changes, so a stored copy
 * that no longer matches is replaced.
 */
export interface OfflineManifest {
	course: string;
	title: string;
	version: string;
	pages: string[];
	files: string[];
	/** About what storing it costs: the files' sizes plus an estimate of the pages (their text and our layout). */
	bytes: number;
}

/** Our layout around a lesson's text (header, styles, quiz form chrome), compressed: measured about 4 KB. */
const PAGE_OVERHEAD = 4 * 1024;

/** Files a lesson's HTML points at, other than videos: images, posters, captions. */
export function lessonFiles(html: string): string[] {
	const urls = new Set<string>();
	for (const m of html.matchAll(/<(img|video|track)\b[^>]*?\s(src|poster)="(\/media\/[^"]+)"/g)) urls.add(m[3].replace(/&amp;/g, '&'));
	return [...urls];
}

export async function buildOfflineManifest(courseSlug: string): Promise<OfflineManifest | undefined> {
	const course = await findCourse(courseSlug);
	if (!course) return undefined;
	const files = [...new Set(course.lessons.flatMap((l) => lessonFiles(l.html)).concat(lessonFiles(course.introHtml)))];
	let bytes = 0;
	for (const url of files) {
		const path = decodeURIComponent(new URL(url, 'http://x').pathname).split('/').slice(3).join('/');
		bytes += (await findMediaFile(courseSlug, path))?.size ?? 0;
	}
	// Compressed HTML is about a third of the text.
	for (const l of course.lessons) bytes += PAGE_OVERHEAD + Math.round(l.html.length / 3);
	bytes += PAGE_OVERHEAD + Math.round(course.introHtml.length / 3);
	return { course: course.slug, title: course.title, version: course.hash, pages: [course.url, ...course.lessons.map((l) => l.url)], files, bytes };
}
