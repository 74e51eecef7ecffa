import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { safeNextPath } from '$lib/server/auth/redirect';
import { isLargeText, TEXT_SIZE_COOKIE } from '$lib/server/text-size';

/** Switches larger text on or off (a plain form, no JavaScript needed) and goes back to the page. */
export const POST: RequestHandler = async (event) => {
	const form = await event.request.formData();
	const large = !isLargeText(event.cookies);
	if (large) {
		event.cookies.set(TEXT_SIZE_COOKIE, 'lg', {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			maxAge: 60 * 60 * 24 * 400
		});
	} else {
		event.cookies.delete(TEXT_SIZE_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
	}
	redirect(303, safeNextPath(String(form.get('next') ?? '')) ?? '/');
};
