import { marked } from 'marked';
import type { GiftText } from './gift/types';
import { sanitizeLessonHtml } from './sanitize';
import { escapeHtml } from '../../escape-html';


/**
 * HTML for a GIFT text in its declared format: `[markdown]` through marked (block Markdown: paragraphs, lists,
 * tables; one paragraph stays inline), `[html]` and Moodle's default
 * format as (sanitised) HTML with line breaks kept, `[plain]` escaped.
 */
export function renderGiftText(t: GiftText): string {
	switch (t.format) {
		case 'plain':
			return escapeHtml(t.text).replace(/\n/g, '<br>');
		case 'markdown': {
			const html = (marked.parse(t.text, { async: false, gfm: true }) as string).trim();
			// A single paragraph stays inline, so a one-line question sits in its legend like the other formats.
			const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
			return sanitizeLessonHtml(single && !single[1].includes('<p>') ? single[1] : html);
		}
		case 'html':
			return sanitizeLessonHtml(t.text);
		default:
			return sanitizeLessonHtml(t.text.replace(/\n/g, '<br>'));
	}
}
