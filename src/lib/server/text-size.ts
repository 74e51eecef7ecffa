import type { Cookies } from '@sveltejs/kit';

/** Cookie holding the reader's choice of larger text ("Chữ to"); set by POST /text-size. */
export const TEXT_SIZE_COOKIE = 'text_size';

export function isLargeText(cookies: Pick<Cookies, 'get'>): boolean {
	return cookies.get(TEXT_SIZE_COOKIE) === 'lg';
}

/** Adds class text-lg to the <html> tag of a rendered page (app.css enlarges the base font size for it). */
export function addLargeTextClass(html: string): string {
	return html.replace(/<html\b([^>]*)>/, (tag, attrs: string) =>
		/\bclass="/.test(attrs) ? tag.replace(/\bclass="/, 'class="text-lg ') : `<html${attrs} class="text-lg">`
	);
}
