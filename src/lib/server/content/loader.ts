import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import type { ContentProblem } from './problems';
import { parseCourseFile, parseLessonFile, type CourseMeta, type LessonMeta } from './front-matter';
import { renderMarkdown, type MediaRef, type TocEntry } from './markdown';
import { parseOrderedName } from './slug';
import { htmlToText } from './sanitize';
import { parseGift } from './gift/parse';
import { readMp4Info } from './mp4';
import type { GiftQuestion } from './gift/types';
import { MAX_CAPTION_CPS, fastCaptionCues } from './captions';
import { svgViewBox } from './practice/check';
import type { Practice } from './practice';
import { rulesNeedPractices } from '../learning/completion';

export interface Lesson extends Omit<LessonMeta, 'passMark'> {
	slug: string;
	position: number;
	/** Path relative to the project, for messages. */
	file: string;
	url: string;
	passMark: number;
	html: string;
	toc: TocEntry[];
	/** Parsed questions with their answer keys: server only. */
	questions: GiftQuestion[];
	hasVideo: boolean;
	/** Practices on simulated screens (```practice blocks), with their right taps: server only. */
	practices: Practice[];
	words: number;
	/** First paragraph as plain text, for search engines and link previews. */
	description: string;
	hash: string;
}

export interface Course extends CourseMeta {
	slug: string;
	position: number;
	file: string;
	url: string;
	introHtml: string;
	lessons: Lesson[];
	hash: string;
}

export interface Content {
	root: string;
	courses: Course[];
	problems: ContentProblem[];
}

const MAX_VIDEO_BYTES = 2 * 1024 * 1024;
const MAX_IMAGE_BYTES = 300 * 1024;

function describe(html: string): string {
	const first = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
	const text = htmlToText(first);
	return text.length > 160 ? `${text.slice(0, 157).replace(/\s+\S*$/, '')}...` : text;
}

/** A Markdown file with its line endings made `\n` (files saved on Windows end lines with `\r\n`). */
function readText(file: string): string {
	return fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
}

/** A path as written in a link (`%20` for a space); null when a `%` does not start a valid escape. */
function decodePath(p: string): string | null {
	try {
		return decodeURI(p);
	} catch {
		return null;
	}
}

function badPercent(href: string): string {
	return `Đường dẫn "${href}" có dấu % không hợp lệ: trong liên kết, % phải viết là %25 (ví dụ media/100%25.svg); tốt hơn là đổi tên tệp cho không có dấu %.`;
}

function sha(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Reads every course under `<root>/courses`, renders it and reports every problem with file and line. */
export function loadContent(root = 'content'): Content {
	const problems: ContentProblem[] = [];
	const rel = (p: string) => path.relative(process.cwd(), p) || p;
	const coursesDir = path.resolve(root, 'courses');
	const courses: Course[] = [];
	if (!fs.existsSync(coursesDir)) {
		problems.push({ file: rel(coursesDir), line: 1, severity: 'error', message: 'Không tìm thấy thư mục khóa học.' });
		return { root, courses, problems };
	}
	const mediaHashes = new Map<string, string>();
	const pendingLinks: { file: string; line: number; url: string }[] = [];

	const entries = fs.readdirSync(coursesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
	const seenCourseSlugs = new Map<string, string>();
	const seenCodes = new Map<string, string>();
	for (const entry of entries) {
		if (!entry.isDirectory()) continue;
		const dir = path.join(coursesDir, entry.name);
		const named = parseOrderedName(entry.name);
		if (!named) {
			problems.push({ file: rel(dir), line: 1, severity: 'error', message: `Tên thư mục khóa học "${entry.name}" phải có dạng NN-ten-khoa-hoc (số thứ tự, chữ thường không dấu, gạch nối).` });
			continue;
		}
		if (seenCourseSlugs.has(named.slug)) {
			problems.push({ file: rel(dir), line: 1, severity: 'error', message: `Trùng tên khóa học "${named.slug}" với ${seenCourseSlugs.get(named.slug)}.` });
			continue;
		}
		seenCourseSlugs.set(named.slug, rel(dir));
		const course = loadCourse(dir, named.slug, named.position);
		if (course) {
			if (seenCodes.has(course.code)) {
				problems.push({ file: course.file, line: 2, severity: 'error', message: `Trùng mã khóa học ${course.code} với ${seenCodes.get(course.code)}.` });
			} else seenCodes.set(course.code, course.file);
			courses.push(course);
		}
	}

	// Links between courses can only be checked once every course is known.
	const known = new Set<string>(['/', '/courses']);
	for (const c of courses) {
		known.add(c.url);
		for (const l of c.lessons) known.add(l.url);
	}
	for (const l of pendingLinks) {
		const target = l.url.split('#')[0].replace(/\/$/, '') || '/';
		if (target.startsWith('/courses') && !known.has(target)) {
			problems.push({ file: l.file, line: l.line, severity: 'error', message: `Liên kết "${l.url}" trỏ tới trang không có.` });
		}
	}
	return { root, courses, problems };

	function loadCourse(dir: string, slug: string, position: number): Course | null {
		const courseFile = path.join(dir, 'course.md');
		const file = rel(courseFile);
		if (!fs.existsSync(courseFile)) {
			problems.push({ file: rel(dir), line: 1, severity: 'error', message: 'Thiếu tệp course.md (thông tin khóa học).' });
			return null;
		}
		const text = readText(courseFile);
		const parsed = parseCourseFile(text, file, problems);
		const url = `/courses/${slug}`;
		const lessonFiles = fs
			.readdirSync(dir, { withFileTypes: true })
			.filter((e) => e.isFile() && e.name.endsWith('.md') && e.name !== 'course.md')
			.map((e) => e.name)
			.sort();
		const lessons: Lesson[] = [];
		const lessonSlugs = new Map<string, string>();
		const questionIds = new Map<string, string>();
		const coursePass = parsed.meta?.passMark ?? 80;
		for (const name of lessonFiles) {
			const lessonPath = path.join(dir, name);
			const named = parseOrderedName(name);
			if (!named) {
				problems.push({ file: rel(lessonPath), line: 1, severity: 'error', message: `Tên tệp bài học "${name}" phải có dạng NN-ten-bai.md (số thứ tự, chữ thường không dấu, gạch nối).` });
				continue;
			}
			if (lessonSlugs.has(named.slug)) {
				problems.push({ file: rel(lessonPath), line: 1, severity: 'error', message: `Trùng tên bài "${named.slug}" với ${lessonSlugs.get(named.slug)}: hai bài sẽ có cùng địa chỉ.` });
				continue;
			}
			lessonSlugs.set(named.slug, rel(lessonPath));
			const lesson = loadLesson(lessonPath, dir, slug, named.slug, named.position, coursePass);
			if (!lesson) continue;
			for (const q of lesson.questions) {
				const prev = questionIds.get(q.id);
				if (prev) {
					problems.push({ file: lesson.file, line: q.line, severity: 'error', message: `Trùng mã câu hỏi "${q.id}" với ${prev}: mỗi câu hỏi trong khóa học cần tên (::ten::) riêng.` });
				} else questionIds.set(q.id, `${lesson.file}:${q.line}`);
			}
			lessons.push(lesson);
		}
		if (lessonFiles.length === 0) {
			problems.push({ file, line: 1, severity: 'error', message: 'Khóa học chưa có bài học nào (tệp NN-ten-bai.md).' });
		}
		const intro = renderMarkdown(parsed.body, makeContext(courseFile, dir, slug, parsed.bodyLine));
		if (parsed.meta && rulesNeedPractices(parsed.meta.completion) && lessons.length && !lessons.some((l) => l.practices.length)) {
			problems.push({ file, line: text.split('\n').findIndex((l) => /^completion\s*:/.test(l)) + 1 || 1, severity: 'error', message: `\`completion: ${parsed.meta.completion}\` đòi làm xong các bài thực hành, nhưng chưa bài học nào có khối \`\`\`practice.` });
		}
		if (!parsed.meta) return null;
		const hash = sha(text + lessons.map((l) => `\n${l.slug}:${l.hash}`).join(''));
		return { ...parsed.meta, slug, position, file, url, introHtml: intro.html, lessons, hash };
	}

	function loadLesson(filePath: string, courseDir: string, courseSlug: string, slug: string, position: number, coursePass: number): Lesson | null {
		const file = rel(filePath);
		const text = readText(filePath);
		const parsed = parseLessonFile(text, file, problems);
		const ctx = makeContext(filePath, courseDir, courseSlug, parsed.bodyLine, `/courses/${courseSlug}/${slug}`);
		const rendered = renderMarkdown(parsed.body, ctx);
		const questions: GiftQuestion[] = [];
		const seen = { names: new Map<string, number>(), ids: new Map<string, number>() };
		for (const [k, block] of rendered.gift.entries()) {
			const idPrefix = k === 0 ? slug : `${slug}-${k + 1}`;
			const res = parseGift(block.source, { lineOffset: block.fenceLine, idPrefix, seen });
			for (const p of res.problems) problems.push({ file, line: p.line, severity: p.severity, message: p.message });
			questions.push(...res.questions);
		}
		if (!parsed.meta) return null;
		const usedMedia = [...ctx.used].sort().map((m) => `${m}:${mediaHashes.get(m)}`);
		return {
			...parsed.meta,
			slug,
			position,
			file,
			url: `/courses/${courseSlug}/${slug}`,
			passMark: parsed.meta.passMark ?? coursePass,
			html: rendered.html,
			toc: rendered.toc,
			questions,
			hasVideo: rendered.hasVideo,
			practices: rendered.practices,
			words: rendered.words,
			description: describe(rendered.html),
			hash: sha(text + '\n' + usedMedia.join('\n'))
		};
	}

	function makeContext(filePath: string, courseDir: string, courseSlug: string, bodyLine: number, lessonUrl?: string) {
		const file = rel(filePath);
		const used = new Set<string>();
		return {
			used,
			bodyLine,
			practiceUrl: lessonUrl ? (id: string) => `${lessonUrl}/thuc-hanh/${id}` : undefined,
			report(line: number, message: string, severity: 'error' | 'warning' = 'error') {
				problems.push({ file, line, severity, message });
			},
			media(href: string, line: number, kind: 'image' | 'video' | 'captions' | 'poster'): MediaRef | null {
				const clean = decodePath(href.split(/[?#]/)[0]);
				if (clean === null) {
					problems.push({ file, line, severity: 'error', message: badPercent(href) });
					return null;
				}
				const abs = path.resolve(path.dirname(filePath), clean);
				const inCourse = path.relative(courseDir, abs);
				if (inCourse.startsWith('..') || path.isAbsolute(clean)) {
					problems.push({ file, line, severity: 'error', message: `Tệp "${href}" phải nằm trong thư mục của khóa học (ví dụ media/ten-anh.svg).` });
					return null;
				}
				if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) {
					problems.push({ file, line, severity: 'error', message: `Không tìm thấy tệp "${href}" (đã tìm ${rel(abs)}).` });
					return null;
				}
				const data = fs.readFileSync(abs);
				let hash = mediaHashes.get(abs);
				if (!hash) {
					hash = sha(data).slice(0, 12);
					mediaHashes.set(abs, hash);
				}
				used.add(abs);
				const url = `/media/${courseSlug}/${inCourse.split(path.sep).map(encodeURIComponent).join('/')}?v=${hash}`;
				if (kind === 'video') {
					if (data.length > MAX_VIDEO_BYTES) problems.push({ file, line, severity: 'warning', message: `Video "${href}" nặng ${(data.length / 1048576).toFixed(1)} MB: nên dưới 2 MB cho người học dùng 3G.` });
					const info = /\.mp4$/i.test(abs) ? readMp4Info(data) : null;
					return { url, bytes: data.length, seconds: info?.seconds, width: info?.width || undefined, height: info?.height || undefined };
				}
				if (kind === 'captions') {
					if (!data.toString('utf8', 0, 16).replace(/^\uFEFF/, '').startsWith('WEBVTT')) {
						problems.push({ file, line, severity: 'error', message: `Phụ đề "${href}" không phải tệp WebVTT (dòng đầu phải là WEBVTT).` });
					} else {
						for (const cue of fastCaptionCues(data.toString('utf8'))) {
							problems.push({
								file: rel(abs),
								line: cue.line,
								severity: 'error',
								message: `Phụ đề chạy quá nhanh: ${cue.cps.toFixed(1)} ký tự/giây (tối đa ${MAX_CAPTION_CPS}). Kéo dài thời gian hiện hoặc rút ngắn câu.`
							});
						}
					}
					return { url };
				}
				if (data.length > MAX_IMAGE_BYTES) problems.push({ file, line, severity: 'warning', message: `Ảnh "${href}" nặng ${Math.round(data.length / 1024)} KB: nên dưới 300 KB.` });
				try {
					const size = imageSize(data);
					const viewBox = /\.svg$/i.test(abs) ? (svgViewBox(data.toString('utf8')) ?? undefined) : undefined;
					return { url, width: size.width, height: size.height, viewBox };
				} catch {
					problems.push({ file, line, severity: 'error', message: `Không đọc được ảnh "${href}" (chỉ dùng SVG, PNG, JPEG, WebP, GIF).` });
					return null;
				}
			},
			link(href: string, line: number): string | null {
				const [target, hashPart] = href.split('#');
				const anchor = hashPart ? `#${hashPart}` : '';
				if (target.startsWith('/')) {
					pendingLinks.push({ file, line, url: href });
					return href;
				}
				const decoded = decodePath(target);
				if (decoded === null) {
					problems.push({ file, line, severity: 'error', message: badPercent(href) });
					return null;
				}
				const abs = path.resolve(path.dirname(filePath), decoded);
				const fromCourses = path.relative(coursesDir, abs).split(path.sep);
				if (fromCourses[0] === '..' || !fs.existsSync(abs)) {
					problems.push({ file, line, severity: 'error', message: `Liên kết "${href}" hỏng: không có tệp ${rel(abs)}.` });
					return null;
				}
				const c = parseOrderedName(fromCourses[0]);
				if (!c) return null;
				const last = fromCourses[1];
				if (!last || last === 'course.md') return `/courses/${c.slug}${anchor}`;
				const l = parseOrderedName(last);
				if (l && fromCourses.length === 2) return `/courses/${c.slug}/${l.slug}${anchor}`;
				if (fromCourses[1] === 'media') {
					return this.media(path.relative(path.dirname(filePath), abs), line, 'image')?.url ?? null;
				}
				problems.push({ file, line, severity: 'error', message: `Liên kết "${href}" không trỏ tới bài học hay khóa học nào.` });
				return null;
			}
		};
	}
}
