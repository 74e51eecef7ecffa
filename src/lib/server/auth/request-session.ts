import type { RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { getContent } from '$lib/server/content';
import { deleteSessionTokenCookie, sessionIdOfToken, sessionOfRow, setSessionTokenCookie, validateSessionToken, type SessionUserRow } from './session';

// Who is behind a request is read from the session cookie by authHandle (hooks.server.ts), one query per request.
// A quiz submission instead checks its session inside the one statement that stores it (submitQuizInOneStatement):
// the hook leaves the check to the action (isQuizFormPost), which either takes the session row that statement
// returned (useSessionRow) or, on any other way through the action, checks the cookie as the hook would
// (finishSessionCheck) before anything reads event.locals.user. Nothing is cached: a session ended anywhere ends at
// the next request.

/**
 * The quiz form's post on a lesson page. Its action checks its session (see above) and its form for a NUL
 * (formHasNul), both of which the hooks leave to it.
 */
export function isQuizFormPost(event: RequestEvent): boolean {
	return event.request.method === 'POST' && event.route.id === '/courses/[course]/[lesson]' && event.url.search === '?/quiz';
}

/** The lesson page: its reader's progress in the lesson is read together with the session. */
const LESSON_ROUTE = '/courses/[course]/[lesson]';

/** The database id of the lesson a GET of the lesson page shows, if it is published. */
async function lessonIdOf(event: RequestEvent): Promise<number | undefined> {
	if (event.route.id !== LESSON_ROUTE || event.request.method !== 'GET' || event.isDataRequest) return undefined;
	try {
		return (await getContent()).ids.lessons.get(`${event.params.course}/${event.params.lesson}`)?.id;
	} catch {
		return undefined; // nothing published: the page explains
	}
}

/**
 * Fills event.locals.user and .session from the session cookie's token, extending or clearing the cookie. On a
 * lesson page also event.locals.lessonProgress, read in the same query.
 */
export async function checkSession(event: RequestEvent, token: string): Promise<void> {
	const validation = await validateSessionToken(await db(), token, { lessonId: await lessonIdOf(event) });
	const { session, user, renewed } = validation;
	if (session) {
		event.locals.session = session;
		event.locals.user = user;
		if (validation.lessonProgress !== undefined) {
			event.locals.lessonProgress = {
				course: event.params.course!,
				lesson: event.params.lesson!,
				progress: validation.lessonProgress,
				opened: validation.lessonOpened ?? false
			};
		}
		if (renewed) {
			setSessionTokenCookie(event, token, session.expiresAt);
			event.locals.sessionRenewed = true;
		}
	} else {
		deleteSessionTokenCookie(event);
	}
}

/** The id of the session whose check the hook left to this action, or null (none left, or not a token of ours). */
export function deferredSessionId(event: RequestEvent): string | null {
	const token = event.locals.deferredSessionToken;
	return token ? sessionIdOfToken(token) : null;
}

/** The session as a statement of the action found it valid (current, not due for renewal). */
export function useSessionRow(event: RequestEvent, row: SessionUserRow): void {
	const { session, user } = sessionOfRow(row);
	event.locals.session = session;
	event.locals.user = user;
	event.locals.deferredSessionToken = undefined;
}

/** Checks the session the hook left to the action, if it is still unchecked. */
export async function finishSessionCheck(event: RequestEvent): Promise<void> {
	const token = event.locals.deferredSessionToken;
	if (!token) return;
	event.locals.deferredSessionToken = undefined;
	await checkSession(event, token);
}
