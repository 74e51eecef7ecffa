import { createHash } from 'node:crypto';
import { version as appVersion } from '$app/environment';
import { findCourse } from '$lib/server/content';
import { findMediaFile } from '$lib/server/content/media';

/**
 * What a phone stores to learn a course without signal: the course page, every lesson page (with its quiz form,
 * which holds no answer key), the pictures, posters and captions the lessons show and, for each practice, its first
 * page, its steps as JSON (what the script that plays it loads; the same for everyone), its screens and the script.
 * Videos are left out (they play when the phone is online). `version` changes whenever a lesson, a file it uses or
 * the app changes (stored pages name the app's scripts by version), so a stored copy that no longer matches is
 * replaced.
 */
export interface OfflineManifest {
	course: string;
	title: string;
	version: string;
	/** The course page, then each lesson's page, then each practice's first page. */
	pages: string[];
	/** How many of `pages` are lessons. */
	lessons: number;
	files: string[];
	/** About what storing it costs: the files' sizes plus an estimate of the pages (their text and our layout). */
	bytes: number;
}

/** Our layout around a lesson's text (header, styles, quiz form chrome), compressed: measured about 4 KB. */
const PAGE_OVERHEAD = 4 * 1024;
/** A practice's first page (layout, instruction, the screen's tap targets), compressed: measured about 3 KB. */
const PRACTICE_PAGE = 3 * 1024;
/** The script that plays practices, compressed. */
const PRACTICE_SCRIPT = 3 * 1024;

/** Files a lesson's HTML points at, other than videos: images, posters, captions. */
export function lessonFiles(html: string): string[] {
	const urls = new Set<string>();
	for (const m of html.matchAll(/<(img|video|track)\b[^>]*?\s(src|poster)="(\/media\/[^"]+)"/g)) urls.add(m[3].replace(/&amp;/g, '&'));
	return [...urls];
}

export async function buildOfflineManifest(courseSlug: string): Promise<OfflineManifest | undefined> {
	const course = await findCourse(courseSlug);
	if (!course) return undefined;
	const practices = course.lessons.flatMap((l) => l.practices.map((p) => ({ url: `${l.url}/thuc-hanh/${p.id}`, practice: p })));
	const screens = practices.flatMap(({ practice }) => Object.values(practice.screens).map((s) => s.url));
	const files = [...new Set(course.lessons.flatMap((l) => lessonFiles(l.html)).concat(lessonFiles(course.introHtml), screens))];
	let bytes = 0;
	for (const url of files) {
		const path = decodeURIComponent(new URL(url, 'http://x').pathname).split('/').slice(3).join('/');
		bytes += (await findMediaFile(courseSlug, path))?.size ?? 0;
	}
	// Compressed HTML is about a third of the text.
	for (const l of course.lessons) bytes += PAGE_OVERHEAD + Math.round(l.html.length / 3);
	bytes += PAGE_OVERHEAD + Math.round(course.introHtml.length / 3);
	const pages = [course.url, ...course.lessons.map((l) => l.url), ...practices.map((p) => p.url)];
	if (practices.length) {
		// The steps as JSON compress to about a third of their text too.
		for (const { practice } of practices) bytes += PRACTICE_PAGE + Math.round(JSON.stringify(practice.steps).length / 3);
		bytes += PRACTICE_SCRIPT;
		files.push(...practices.map((p) => `${p.url}/buoc.json`), `/js/practice.js?v=${appVersion}`);
	}
	return {
		course: course.slug,
		title: course.title,
		version: createHash('sha256').update(`${course.hash}\n${appVersion}`).digest('hex').slice(0, 32),
		pages,
		lessons: course.lessons.length,
		files,
		bytes
	};
}
