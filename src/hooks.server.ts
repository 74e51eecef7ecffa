import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { db, getDatabase } from '$lib/server/db';
import { ContentError, getContent, startContentPublishing } from '$lib/server/content';
import { DataDirLockedError } from '$lib/server/db/data-dir-lock';
import { findMalformedInput } from '$lib/server/malformed-request';
import { importSeedUnitsIfEmpty } from '$lib/server/units/import';
import { rebuildRollupsIfMissing } from '$lib/server/stats/rollups';
import { SESSION_COOKIE, deleteSessionTokenCookie, setSessionTokenCookie, validateSessionToken } from '$lib/server/auth/session';
import { addLargeTextClass, isLargeText } from '$lib/server/text-size';
import { anonymousLessonCache } from '$lib/server/page-cache';

export const init: ServerInit = async () => {
	try {
		const { db: database } = await getDatabase();
		await importSeedUnitsIfEmpty(database);
		// Records issued before the statistics existed are counted once, at the first start after the upgrade.
		await rebuildRollupsIfMissing(database);
		startContentPublishing({ watch: process.env.HOCSO_WATCH_CONTENT !== '0', awaitChanges: dev });
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

/** Requests no page of ours can send (a NUL character, a multipart body without boundary): 400, before any route. */
const malformedInputHandle: Handle = async ({ event, resolve }) => {
	const problem = await findMalformedInput(event.request, event.url);
	if (problem) error(400, problem);
	return resolve(event);
};

/** Public files (lesson media, the video player) never depend on who asks: no session lookup for them. */
const PUBLIC_FILES = /^\/(media|assets)\//;

/** Fills event.locals.user and event.locals.session from the session cookie, extending or clearing it as needed. */
const authHandle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = PUBLIC_FILES.test(event.url.pathname) ? undefined : event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { session, user, renewed } = await validateSessionToken(await db(), token);
		if (session) {
			event.locals.session = session;
			event.locals.user = user;
			if (renewed) setSessionTokenCookie(event, token, session.expiresAt);
		} else {
			deleteSessionTokenCookie(event);
		}
	}
	return resolve(event);
};

/** "Chữ to": a reader who chose larger text gets class text-lg on <html>, so the page is large from the first paint. */
const textSizeHandle: Handle = async ({ event, resolve }) => {
	if (!isLargeText(event.cookies)) return resolve(event);
	let done = false;
	return resolve(event, {
		transformPageChunk: ({ html }) => {
			if (done) return html;
			done = true;
			return addLargeTextClass(html);
		}
	});
};

export const handle: Handle = sequence(securityHeaders, malformedInputHandle, anonymousLessonCache, authHandle, textSizeHandle);

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	if (error instanceof ContentError) return { message: error.message };
	return { message: status === 404 ? 'Không tìm thấy trang' : 'Đã có lỗi xảy ra' };
};
