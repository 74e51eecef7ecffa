import type { Session } from '../../../src/lib/server/auth/session';

/** What a form action set on the response: its headers and cookies (those it was given included). */
export interface ActionOutcome {
	headers: Record<string, string>;
	cookies: Record<string, string>;
	/** What the action threw (a redirect, an error), or null when it returned. */
	thrown: unknown;
}

/**
 * Posts `fields` to a route's default action as a browser would, with whoever is logged in on it (`locals`) and the
 * cookies the browser holds.
 */
export async function postDefaultAction(
	route: { actions: object },
	path: string,
	fields: Record<string, string>,
	opts: { locals: { user?: unknown; session?: Session }; cookies?: Record<string, string>; address?: string }
): Promise<ActionOutcome> {
	const url = new URL(`http://localhost${path}`);
	const body = new FormData();
	for (const [name, value] of Object.entries(fields)) body.set(name, value);
	const headers: Record<string, string> = {};
	const cookies: Record<string, string> = { ...opts.cookies };
	const event = {
		url,
		locals: opts.locals,
		request: new Request(url, { method: 'POST', body }),
		getClientAddress: () => opts.address ?? '10.9.8.5',
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h),
		cookies: { get: (name: string) => cookies[name], set: (name: string, value: string) => (cookies[name] = value), delete() {} }
	};
	const action = (route.actions as { default: (e: typeof event) => Promise<unknown> }).default;
	const thrown = await action(event).then(
		() => null,
		(e: unknown) => e
	);
	return { headers, cookies, thrown };
}
