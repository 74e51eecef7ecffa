import { Marked, type Token, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import YAML from 'yaml';
import { sanitizeLessonHtml, htmlToText } from './sanitize';
import { slugify } from './slug';
import { readPractice, type Practice } from './practice';
import { shortestMoves } from './practice/play';

export const CALLOUTS: Record<string, string> = {
	tip: 'Mẹo',
	note: 'Lưu ý',
	warning: 'Cẩn thận',
	remember: 'Ghi nhớ'
};

export interface MediaRef {
	url: string;
	width?: number;
	height?: number;
	/** Videos: file size and length, shown before anything of the video is downloaded. */
	bytes?: number;
	seconds?: number;
	/** SVG images: the viewBox their drawing is measured in. */
	viewBox?: [number, number, number, number];
}

/** What the renderer needs from the loader: file lookups, reported at a file line. */
export interface RenderContext {
	/** 1-based file line of the body's first line. */
	bodyLine: number;
	report(line: number, message: string, severity?: 'error' | 'warning'): void;
	/** Resolves a relative media path (`media/x.svg`); null (after reporting) when missing. */
	media(href: string, line: number, kind: 'image' | 'video' | 'captions' | 'poster'): MediaRef | null;
	/** Resolves an internal link (`02-wifi.md`, `../02-khoa/01-bai.md`, `/courses/...`); null when broken. */
	link(href: string, line: number): string | null;
	/** Address of a practice of this page; without it practice blocks are reported as out of place. */
	practiceUrl?(id: string): string;
}

export interface GiftBlock {
	source: string;
	/** File line of the opening fence: the block's first line is fenceLine + 1. */
	fenceLine: number;
}

export interface TocEntry {
	id: string;
	text: string;
	depth: number;
}

export interface RenderedMarkdown {
	html: string;
	toc: TocEntry[];
	gift: GiftBlock[];
	hasVideo: boolean;
	words: number;
	/** Checked ```practice blocks, in order: server only (they hold which tap is right). */
	practices: Practice[];
}

interface CalloutToken extends Tokens.Generic {
	type: 'callout';
	kind: string;
	tokens: Token[];
}

const calloutExtension: TokenizerAndRendererExtension = {
	name: 'callout',
	level: 'block',
	start(src) {
		return /^:::/m.exec(src)?.index;
	},
	tokenizer(src) {
		const m = /^:::([a-z][\w-]*)[ \t]*\n([\s\S]*?)\n?^:::[ \t]*(?:\n+|$)/m.exec(src);
		if (!m || m.index !== 0) return undefined;
		const token: CalloutToken = { type: 'callout', raw: m[0], kind: m[1], tokens: [] };
		this.lexer.blockTokens(m[2], token.tokens);
		return token;
	},
	renderer(token) {
		const t = token as CalloutToken;
		const label = CALLOUTS[t.kind] ?? t.kind;
		return `<aside class="callout callout-${t.kind}" role="note" aria-label="${label}"><p class="callout-title">${label}</p>${this.parser.parse(t.tokens)}</aside>\n`;
	}
};

function escapeAttr(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function countLines(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
	return n;
}

interface VideoSpec {
	src: MediaRef;
	poster: MediaRef | null;
	captions: MediaRef;
	title: string;
}

/**
 * Renders a lesson or course body: marked with callouts, checked images and links, video blocks, and gift blocks
 * lifted out (the quiz is shown after the lesson). Every problem is reported at its file line.
 */
export function renderMarkdown(body: string, ctx: RenderContext): RenderedMarkdown {
	const marked = new Marked({ gfm: true, extensions: [calloutExtension] });
	const tokens = marked.lexer(body);
	const gift: GiftBlock[] = [];
	const toc: TocEntry[] = [];
	const usedIds = new Map<string, number>();
	const images = new Map<Tokens.Image, MediaRef | null>();
	const links = new Map<Tokens.Link, string | null>();
	const videos = new Map<Tokens.Code, VideoSpec | null>();
	const practices = new Map<Tokens.Code, Practice | null>();
	const headingIds = new Map<Tokens.Heading, string>();
	let words = 0;

	checkFencesAndContainers(body, ctx);

	// Walks tokens with the file line of each: a child's raw text sits inside its parent's raw text.
	const walk = (list: Token[], parentRaw: string, parentLine: number) => {
		let cursor = 0;
		for (const tok of list) {
			const at = tok.raw ? parentRaw.indexOf(tok.raw, cursor) : -1;
			const line = at >= 0 ? parentLine + countLines(parentRaw.slice(0, at)) : parentLine;
			if (at >= 0) cursor = at + tok.raw.length;
			visit(tok, line);
			const children = (tok as { tokens?: Token[] }).tokens;
			if (children?.length) walk(children, tok.raw, line);
			if (tok.type === 'list') walk((tok as Tokens.List).items, tok.raw, line);
			if (tok.type === 'table') {
				const t = tok as Tokens.Table;
				for (const cell of [...t.header, ...t.rows.flat()]) walk(cell.tokens, tok.raw, line);
			}
		}
	};

	const visit = (tok: Token, line: number) => {
		switch (tok.type) {
			case 'text':
				if (!(tok as Tokens.Text).tokens) words += tok.raw.split(/\s+/).filter(Boolean).length;
				break;
			case 'heading': {
				const h = tok as Tokens.Heading;
				if (h.depth === 1) ctx.report(line, 'Không dùng tiêu đề cấp 1 (`#`) trong bài: tiêu đề bài lấy từ `title`; hãy dùng `##`.');
				const text = htmlToText(marked.parseInline(h.text) as string);
				const base = slugify(text) || 'muc';
				const n = usedIds.get(base) ?? 0;
				usedIds.set(base, n + 1);
				const id = n ? `${base}-${n + 1}` : base;
				headingIds.set(h, id);
				if (h.depth === 2 || h.depth === 3) toc.push({ id, text, depth: h.depth });
				break;
			}
			case 'image': {
				const img = tok as Tokens.Image;
				if (!img.text.trim()) {
					ctx.report(line, `Ảnh "${img.href}" thiếu chú thích thay thế (alt): viết ![mô tả ảnh](${img.href}).`);
				}
				images.set(img, /^https?:\/\//.test(img.href) ? { url: img.href } : ctx.media(img.href, line, 'image'));
				if (/^https?:\/\//.test(img.href)) {
					ctx.report(line, `Ảnh "${img.href}" nằm ở trang ngoài: hãy lưu ảnh vào thư mục media/ của khóa học.`, 'warning');
				}
				break;
			}
			case 'link': {
				const a = tok as Tokens.Link;
				if (/^(https?:|mailto:|tel:|#)/.test(a.href)) links.set(a, a.href);
				else links.set(a, ctx.link(a.href, line));
				break;
			}
			case 'callout': {
				const c = tok as CalloutToken;
				if (!CALLOUTS[c.kind]) {
					ctx.report(line, `Khung "${c.kind}" không có; dùng một trong: ${Object.keys(CALLOUTS).join(', ')}.`);
				}
				break;
			}
			case 'code': {
				const code = tok as Tokens.Code;
				const kind = blockKind(code);
				if (kind === 'gift') gift.push({ source: code.text, fenceLine: line });
				else if (kind === 'video') videos.set(code, readVideo(code.text, line, ctx));
				else if (kind === 'practice') {
					if (!ctx.practiceUrl) {
						ctx.report(line, 'Khối ```practice chỉ dùng được trong bài học.');
						practices.set(code, null);
						break;
					}
					const p = readPractice(code.text, line, {
						report: (l, m) => ctx.report(l, m),
						screen: (href, l) => ctx.media(href, l, 'image')
					});
					if (p && [...practices.values()].some((q) => q?.id === p.id)) {
						ctx.report(line, `Trùng mã thực hành "${p.id}" trong bài: mỗi khối practice cần \`id\` riêng.`);
						practices.set(code, null);
					} else practices.set(code, p);
				}
				else if (looksLikeGift(code.text)) {
					const fence = code.lang?.trim() ? `\`\`\`${code.lang.trim()}` : 'khối mã';
					ctx.report(line, `${fence === 'khối mã' ? 'Khối mã này' : `Khối ${fence}`} trông như câu hỏi GIFT nhưng không được đọc thành câu hỏi: người học sẽ thấy cả đáp án. Mở khối bằng \`\`\`gift.`);
				}
				break;
			}
			case 'paragraph':
				if (looksLikeGift(tok.raw.replace(/`+[^`]*`+/g, ''))) {
					ctx.report(line, 'Đoạn này trông như câu hỏi GIFT nhưng nằm ngoài khối ```gift: người học sẽ thấy cả đáp án. Đặt câu hỏi giữa hai dòng ```gift và ```.');
				}
				break;
		}
	};

	walk(tokens, body, ctx.bodyLine);

	marked.use({
		renderer: {
			heading(h) {
				const id = headingIds.get(h) ?? slugify(h.text);
				return `<h${h.depth} id="${id}">${this.parser.parseInline(h.tokens)}</h${h.depth}>\n`;
			},
			image(img) {
				const ref = images.get(img);
				if (!ref) return '';
				const size = ref.width && ref.height ? ` width="${ref.width}" height="${ref.height}"` : '';
				return `<img src="${escapeAttr(ref.url)}" alt="${escapeAttr(img.text)}"${size} loading="lazy" decoding="async">`;
			},
			paragraph(p) {
				// A paragraph holding only an image becomes a figure, with its title as the caption.
				const only = p.tokens.filter((t) => !(t.type === 'text' && !t.raw.trim()));
				if (only.length === 1 && only[0].type === 'image') {
					const img = only[0] as Tokens.Image;
					const caption = img.title ? `<figcaption>${escapeAttr(img.title)}</figcaption>` : '';
					return `<figure class="lesson-figure">${this.parser.parseInline(p.tokens)}${caption}</figure>\n`;
				}
				return false;
			},
			link(a) {
				const href = links.get(a);
				const inner = this.parser.parseInline(a.tokens);
				if (!href) return inner;
				const title = a.title ? ` title="${escapeAttr(a.title)}"` : '';
				const ext = /^https?:/.test(href) ? ' rel="noopener noreferrer"' : '';
				return `<a href="${escapeAttr(href)}"${title}${ext}>${inner}</a>`;
			},
			code(code) {
				const kind = blockKind(code);
				if (kind === 'gift') return '';
				if (kind === 'video') {
					const v = videos.get(code);
					return v ? renderVideo(v) : '';
				}
				if (kind === 'practice') {
					const p = practices.get(code);
					return p && ctx.practiceUrl ? renderPracticeCard(p, ctx.practiceUrl(p.id)) : '';
				}
				return false;
			},
			table(t) {
				return `<div class="table-wrap">${renderDefaultTable(this.parser, t)}</div>\n`;
			}
		}
	});
	const html = sanitizeLessonHtml(marked.parser(tokens) as string);
	const checked = [...practices.values()].filter((p): p is Practice => p !== null);
	return { html, toc, gift, hasVideo: [...videos.values()].some(Boolean), words, practices: checked };
}

function renderPracticeCard(p: Practice, url: string): string {
	const steps = shortestMoves(p);
	return (
		`<aside class="practice-card" aria-label="Thực hành"><p class="practice-card-kicker">Thực hành trên màn hình mô phỏng</p>` +
		`<p class="practice-card-title">${escapeAttr(p.title)}</p>` +
		`<p class="practice-card-meta">Khoảng ${steps} bước. Không có gì được gửi đi thật.</p>` +
		// #thuc-hanh: the page opens at the instruction and screen (the practice page's own heading is above it).
		`<p><a class="practice-card-start" href="${escapeAttr(url)}#thuc-hanh">Bắt đầu thực hành</a></p></aside>\n`
	);
}

/**
 * What a fenced block holds, from the first word of its info string, in any case: ```gift, ```GIFT and
 * ```gift Câu hỏi ôn tập are all quizzes.
 */
function blockKind(code: Tokens.Code): string {
	return (code.lang ?? '').trim().split(/\s+/)[0].toLowerCase();
}

/**
 * Text that reads as GIFT: a `::name::` at the start of a line, or an answer block (`{=`, `{~`, `{#3`, `{T}`).
 * Outside a gift block it would be shown as it is, answers included.
 */
export function looksLikeGift(text: string): boolean {
	return /^[ \t]*::[^:\n]{1,200}::/m.test(text) || /\{\s*(?:[=~]|#\s*[-+.\d=]|(?:T|F|TRUE|FALSE)\s*(?:#|\}))/.test(text);
}

function renderDefaultTable(parser: { parseInline(tokens: Token[]): string }, t: Tokens.Table): string {
	const cell = (c: Tokens.TableCell, tag: 'th' | 'td') => {
		const align = c.align ? ` class="align-${c.align}"` : '';
		const scope = tag === 'th' ? ' scope="col"' : '';
		return `<${tag}${scope}${align}>${parser.parseInline(c.tokens)}</${tag}>`;
	};
	const head = `<thead><tr>${t.header.map((c) => cell(c, 'th')).join('')}</tr></thead>`;
	const body = t.rows.length ? `<tbody>${t.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>` : '';
	return `<table>${head}${body}</table>`;
}

function readVideo(text: string, fenceLine: number, ctx: RenderContext): VideoSpec | null {
	let spec: Record<string, unknown>;
	try {
		spec = (YAML.parse(text) ?? {}) as Record<string, unknown>;
	} catch (e) {
		const pos = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
		ctx.report(fenceLine + pos, `Khối video sai cú pháp YAML: ${(e as Error).message.split('\n')[0]}`);
		return null;
	}
	const keyLine = (key: string) => {
		const i = text.split('\n').findIndex((l) => l.startsWith(`${key}:`));
		return fenceLine + (i < 0 ? 1 : i + 1);
	};
	let ok = true;
	for (const key of ['src', 'captions', 'title']) {
		if (typeof spec[key] !== 'string' || !(spec[key] as string).trim()) {
			ctx.report(keyLine(key), `Khối video thiếu \`${key}\`${key === 'captions' ? ' (phụ đề tiếng Việt WebVTT, .vtt)' : ''}.`);
			ok = false;
		}
	}
	if (!ok) return null;
	const srcPath = spec.src as string;
	if (!/\.(mp4|webm)$/i.test(srcPath)) ctx.report(keyLine('src'), 'Video phải là tệp .mp4 (H.264) hoặc .webm.');
	if (!/\.vtt$/i.test(spec.captions as string)) ctx.report(keyLine('captions'), 'Phụ đề phải là tệp WebVTT (.vtt).');
	if (typeof spec.poster !== 'string') ctx.report(keyLine('poster'), 'Khối video nên có `poster` (ảnh hiện trước khi phát).', 'warning');
	const src = ctx.media(srcPath, keyLine('src'), 'video');
	const captions = ctx.media(spec.captions as string, keyLine('captions'), 'captions');
	const poster = typeof spec.poster === 'string' ? ctx.media(spec.poster, keyLine('poster'), 'poster') : null;
	if (!src || !captions) return null;
	return { src, captions, poster, title: (spec.title as string).trim() };
}

/** "1 phút, 0,1 MB": what playing a video costs in time and data, said before it is played. */
export function videoCostLabel(seconds: number | undefined, bytes: number | undefined): string {
	const parts: string[] = [];
	if (seconds) parts.push(`${Math.max(1, Math.ceil(seconds / 60))} phút`);
	if (bytes) parts.push(`${Math.max(0.1, bytes / 1e6).toFixed(1).replace('.', ',')} MB`);
	return parts.join(', ');
}

function renderVideo(v: VideoSpec): string {
	const type = /\.webm(\?|$)/.test(v.src.url) ? 'video/webm' : 'video/mp4';
	const poster = v.poster ? ` poster="${escapeAttr(v.poster.url)}"` : '';
	// The video's own picture size (from the file) sizes the player before anything is downloaded; the poster's otherwise.
	const w = v.src.width || v.poster?.width;
	const h = v.src.height || v.poster?.height;
	const size = w && h ? ` width="${w}" height="${h}"` : '';
	const portrait = w && h && h > w ? ' video-portrait' : '';
	const cost = videoCostLabel(v.src.seconds, v.src.bytes);
	return (
		`<figure class="lesson-video${portrait}"><video class="video-js" controls preload="none" playsinline${poster}${size} aria-label="${escapeAttr(v.title)}">` +
		`<source src="${escapeAttr(v.src.url)}" type="${type}">` +
		`<track kind="captions" src="${escapeAttr(v.captions.url)}" srclang="vi" label="Tiếng Việt" default>` +
		`<p>Trình duyệt này không phát được video. <a href="${escapeAttr(v.src.url)}">Tải video về máy</a>.</p>` +
		`</video><figcaption>${escapeAttr(v.title)}${cost ? ` <span class="video-cost">(video ${cost})</span>` : ''}</figcaption></figure>\n`
	);
}

/** Unclosed fences and callouts swallow the rest of a lesson silently in Markdown: report them at their line. */
function checkFencesAndContainers(body: string, ctx: RenderContext) {
	const lines = body.split('\n');
	let fence: { marker: string; line: number } | null = null;
	let container: number | null = null;
	lines.forEach((text, i) => {
		const line = ctx.bodyLine + i;
		const f = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
		if (f) {
			if (!fence) fence = { marker: f[1], line };
			else if (f[1][0] === fence.marker[0] && f[1].length >= fence.marker.length && !text.trim().slice(f[1].length)) fence = null;
			return;
		}
		if (fence) return;
		if (/^:::[a-z]/.test(text)) {
			if (container !== null) ctx.report(line, `Khung ":::" mở ở dòng ${container} chưa được đóng trước khi mở khung mới.`);
			container = line;
		} else if (/^:::\s*$/.test(text)) {
			if (container === null) ctx.report(line, 'Dòng ":::" đóng một khung chưa được mở.');
			container = null;
		}
	});
	if (fence) ctx.report((fence as { line: number }).line, 'Khối mã (```) chưa được đóng.');
	if (container !== null) ctx.report(container, 'Khung ":::" chưa được đóng: thêm một dòng ":::" ở cuối khung.');
}
