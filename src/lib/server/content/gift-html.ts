import { marked } from 'marked';
import type { GiftText } from './gift/types';
import { sanitizeLessonHtml } from './sanitize';

function escapeHtml(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * HTML for a GIFT text in its declared format: `[markdown]` through marked, `[html]` and Moodle's default
 * format as (sanitised) HTML with line breaks kept, `[plain]` escaped.
 */
export function renderGiftText(t: GiftText): string {
	switch (t.format) {
		case 'plain':
			return escapeHtml(t.text).replace(/\n/g, '<br>');
		case 'markdown':
			return sanitizeLessonHtml(marked.parseInline(t.text, { async: false }) as string);
		case 'html':
			return sanitizeLessonHtml(t.text);
		default:
			return sanitizeLessonHtml(t.text.replace(/\n/g, '<br>'));
	}
}
