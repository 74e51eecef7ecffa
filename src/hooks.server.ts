import { error, isRedirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { db, getDatabase } from '$lib/server/db';
import { ContentError, getContent, startContentPublishing } from '$lib/server/content';
import { DataDirError, DataDirLockedError } from '$lib/server/db/data-dir-lock';
import { isDatabaseUnavailable, unavailableResponse } from '$lib/server/db/unavailable';
import { describeError, logError } from '$lib/server/log';
import { checkRequestInput } from '$lib/server/malformed-request';
import { publicOriginWarning } from '$lib/server/public-url';
import { scheduleGuestCleanup } from '$lib/server/auth/guests';
import { doStartupWork, readyConnections } from '$lib/server/startup';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { checkSession, isQuizFormPost } from '$lib/server/auth/request-session';
import { addLargeTextClass, isLargeText } from '$lib/server/text-size';
import { anonymousLessonCache, personalLessonPage } from '$lib/server/page-cache';
import { thrownErrorResponse } from '$lib/server/thrown-response';

export const init: ServerInit = async () => {
	const warning = publicOriginWarning();
	if (warning && !dev) console.warn(`\n${warning}\n`);
	try {
		const { db: database, kind } = await getDatabase();
		await doStartupWork(database);
		// A PostgreSQL server: the pool's connections opened and readied for quiz submissions before the first request,
		// while the content is read.
		const ready = kind === 'postgres' ? readyConnections(database) : undefined;
		startContentPublishing({ watch: process.env.HOCSO_WATCH_CONTENT !== '0', awaitChanges: dev });
		await getContent();
		await ready;
		scheduleGuestCleanup(db);
	} catch (e) {
		if (e instanceof ContentError || e instanceof DataDirLockedError || e instanceof DataDirError) {
			console.error(`\nHọc Số không khởi động được.\n${e.message}\n`);
			if (!dev) process.exit(1);
			return;
		}
		if (isDatabaseUnavailable(e)) {
			console.error(
				`\nHọc Số không khởi động được: không kết nối được máy chủ PostgreSQL ở DATABASE_URL (${describeError(e).split('\n')[0]}).\n` +
					'Hãy kiểm tra máy chủ cơ sở dữ liệu đã chạy và địa chỉ đúng; tiến trình sẽ thoát để trình giám sát khởi động lại.\n'
			);
			if (!dev) process.exit(1);
			return;
		}
		throw e;
	}
};

/**
 * Security headers on every response, also the error answer to a request a later hook refused or failed on (a
 * malformed request's 400): that answer is made here, not by SvelteKit, which would send it without them.
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	let response: Response;
	try {
		response = await resolve(event);
	} catch (e) {
		if (isRedirect(e)) throw e;
		response = await thrownErrorResponse(event, e, handleError);
	}
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	// In development the lesson preview (/preview/...) shows lessons in a phone-sized frame of this site.
	const csp = dev ? response.headers.get('content-security-policy') : null;
	if (csp) response.headers.set('content-security-policy', csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
	return response;
};

/** Requests no page of ours can send (a NUL character, a multipart body without boundary): 400, before any route. */
const malformedInputHandle: Handle = async ({ event, resolve }) => {
	const { problem, request } = await checkRequestInput(event.request, event.url, { formCheckedByRoute: isQuizFormPost(event) });
	if (problem) error(400, problem);
	event.request = request;
	return resolve(event);
};

/**
 * While the database is away, every page and form post answers 503 with a page asking to try again in a few
 * minutes (and Retry-After), instead of a 500 or a crash; the next request after it is back is served normally.
 * Errors thrown by this chain's own hooks arrive here; errors of loads and actions are flagged by handleError.
 */
const outageHandle: Handle = async ({ event, resolve }) => {
	try {
		const response = await resolve(event);
		return event.locals.databaseUnavailable ? unavailableResponse(event.request) : response;
	} catch (e) {
		if (isDatabaseUnavailable(e)) return unavailableResponse(event.request);
		throw e;
	}
};

/** Public files (lesson media, the video player) never depend on who asks: no session lookup for them. */
const PUBLIC_FILES = /^\/(media|assets)\//;

/** Fills event.locals.user and event.locals.session from the session cookie, extending or clearing it as needed. */
const authHandle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = PUBLIC_FILES.test(event.url.pathname) ? undefined : event.cookies.get(SESSION_COOKIE);
	if (token && isQuizFormPost(event)) event.locals.deferredSessionToken = token;
	else if (token) await checkSession(event, token);
	return resolve(event);
};

/** Pages about one person: never kept by a shared cache or the browser's back-forward cache on a shared computer. */
const PERSONAL_PAGES = /^\/(account|my|records|admin|don-vi)(\/|$)/;

/**
 * Personal pages, and any page rendered for someone signed in (their name is in the header), answer
 * `Cache-Control: private, no-store`; public files keep their own caching.
 */
const privateCacheHandle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const path = event.url.pathname;
	if (PERSONAL_PAGES.test(path) || ((event.locals.user || event.locals.deferredSessionToken) && !PUBLIC_FILES.test(path) && !response.headers.has('cache-control'))) {
		response.headers.set('Cache-Control', 'private, no-store');
	}
	return response;
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

// personalLessonPage comes last: it needs the session (authHandle), and what it sends goes back through
// privateCacheHandle like a rendered page.
export const handle: Handle = sequence(
	securityHeaders,
	outageHandle,
	malformedInputHandle,
	anonymousLessonCache,
	authHandle,
	privateCacheHandle,
	textSizeHandle,
	personalLessonPage
);

export const handleError: HandleServerError = ({ error, status, event }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		console.error(`${event.request.method} ${event.url.pathname}: database unavailable: ${describeError(error).split('\n')[0]}`);
		return { message: 'Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.' };
	}
	// Note: the path only, never the query string or body (they can hold a name or a phone number).
	if (status !== 404) logError(`${event.request.method} ${event.url.pathname}`, error);
	if (error instanceof ContentError) return { message: error.message };
	return { message: status === 404 ? 'Không tìm thấy trang' : 'Đã có lỗi xảy ra' };
};
