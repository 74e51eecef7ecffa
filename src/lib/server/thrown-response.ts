import { isHttpError, json, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import errorPage from '/src/error.html?raw';
import { escapeHtml } from '$lib/escape-html';

/**
 * The answer to an error thrown by a hook (a malformed request's 400, a fault while checking the session), made as
 * SvelteKit makes it when such an error leaves the hooks: JSON `{ message }` for a data request or a client that
 * asks for JSON, otherwise the static page of src/error.html; an unexpected error is a 500 whose message comes from
 * handleError (which also logs it). Made here so that the hooks can add their headers to it, which they cannot do
 * to the answer SvelteKit makes.
 */
export async function thrownErrorResponse(event: RequestEvent, error: unknown, handleError: HandleServerError): Promise<Response> {
	const status = isHttpError(error) ? error.status : 500;
	const body: App.Error = isHttpError(error)
		? error.body
		: ((await handleError({ error, event, status, message: 'Internal Error' })) ?? { message: 'Internal Error' });
	if (event.isDataRequest || wantsJson(event.request.headers.get('accept'))) return json(body, { status });
	const page = errorPage.replaceAll('%sveltekit.status%', String(status)).replaceAll('%sveltekit.error.message%', escapeHtml(body.message));
	return new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * Whether the Accept header (none: text/html) ranks JSON at least as high as HTML, ranked as SvelteKit ranks them
 * for its error answers: by q, a named type before a wildcard, then by order; a tie goes to JSON.
 */
function wantsJson(accept: string | null): boolean {
	const ranges = (accept || 'text/html')
		.split(',')
		.map((part, i) => {
			const m = /^[ \t]*([^/ \t]+)\/([^; \t]+)[ \t]*(?:;[ \t]*q=([0-9.]+))?/.exec(part);
			return m && { type: m[1], subtype: m[2], q: Number(m[3] ?? 1), i };
		})
		.filter((r) => r !== null)
		.sort((a, b) => b.q - a.q || Number(a.subtype === '*') - Number(b.subtype === '*') || Number(a.type === '*') - Number(b.type === '*') || a.i - b.i);
	const rank = (type: string, subtype: string) => {
		const i = ranges.findIndex((r) => (r.type === type || r.type === '*') && (r.subtype === subtype || r.subtype === '*'));
		return i < 0 ? Infinity : i;
	};
	const json = rank('application', 'json');
	return json !== Infinity && json <= rank('text', 'html');
}
