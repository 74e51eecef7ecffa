import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { getDatabase } from '$lib/server/db';
import { ContentError, getContent, watchContent } from '$lib/server/content';
import { DataDirLockedError } from '$lib/server/db/data-dir-lock';

export const init: ServerInit = async () => {
	try {
		await getDatabase();
		if (dev || process.env.HOCSO_WATCH_CONTENT === '1') watchContent();
		await getContent();
	} catch (e) {
		if (e instanceof ContentError || e instanceof DataDirLockedError) {
			console.error(`\nHọc Số không khởi động được.\n${e.message}\n`);
			if (!dev) process.exit(1);
			return;
		}
		throw e;
	}
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	return response;
};

export const handle: Handle = sequence(securityHeaders);

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	if (error instanceof ContentError) return { message: error.message };
	return { message: status === 404 ? 'Không tìm thấy trang' : 'Đã có lỗi xảy ra' };
};
