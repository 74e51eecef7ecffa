import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';

/**
 * sanitize-html with the parsers it brings (about seventy files), loaded the first time lesson HTML is cleaned: a
 * start that reads the content from its cache, as most do, never needs it.
 */
const requireHere = createRequire(import.meta.url);
let sanitizer: typeof SanitizeHtml | undefined;
const sanitizeHtml = (html: string, options: SanitizeHtml.IOptions) => (sanitizer ??= requireHere('sanitize-html') as typeof SanitizeHtml)(html, options);

/**
 * Allow-list for lesson HTML. Trainers are trusted to write content, not to run script in a learner's browser:
 * no script, style, iframe, event handlers or javascript: URLs survive.
 */
const OPTIONS: SanitizeHtml.IOptions = {
	allowedTags: [
		'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'ul', 'ol', 'li', 'strong', 'b', 'em', 'i',
		'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'kbd', 'abbr', 'code', 'pre', 'span', 'div',
		'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
		'aside', 'details', 'summary', 'video', 'source', 'track', 'dl', 'dt', 'dd'
	],
	allowedAttributes: {
		'*': ['id', 'class', 'lang', 'title'],
		a: ['href', 'rel', 'hreflang'],
		img: ['src', 'alt', 'width', 'height', 'loading', 'decoding'],
		th: ['scope', 'colspan', 'rowspan'],
		td: ['colspan', 'rowspan'],
		ol: ['start'],
		aside: ['role', 'aria-label'],
		video: ['controls', 'preload', 'poster', 'width', 'height', 'playsinline', 'aria-label'],
		source: ['src', 'type'],
		track: ['kind', 'src', 'srclang', 'label', 'default'],
		abbr: ['title']
	},
	allowedClasses: {
		'*': ['callout', 'callout-*', 'callout-title', 'lesson-figure', 'lesson-video', 'video-portrait', 'video-cost', 'video-js', 'vjs-*', 'table-wrap', 'heading-anchor', 'practice-card', 'practice-card-*']
	},
	allowedSchemes: ['http', 'https', 'mailto', 'tel'],
	allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'], track: ['http', 'https'] },
	allowProtocolRelative: false
};

export function sanitizeLessonHtml(html: string): string {
	return sanitizeHtml(html, OPTIONS);
}

/** Plain text of some HTML, for tables of contents and page titles. */
export function htmlToText(html: string): string {
	return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
