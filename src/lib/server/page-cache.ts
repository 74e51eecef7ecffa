import { randomBytes } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getContent } from '$lib/server/content';
import { newSubmissionKey } from '$lib/server/learning/attempts';
import { isLargeText, TEXT_SIZE_COOKIE } from '$lib/server/text-size';

// A lesson page is the same for every anonymous reader of one published version of the content, but for two
// values that must differ on every response: the CSP nonce and the quiz form's submission key. It is rendered
// once per published version (and text size) and each later anonymous request gets the stored page with a fresh
// nonce and key put in. Anyone who carries any cookie other than the text size (a session, a guest's progress)
// is rendered as before. A new publication replaces the whole store.

const LESSON_PATH = /^\/courses\/[a-z0-9-]+\/[a-z0-9-]+$/;
const NONCE = /'nonce-([A-Za-z0-9+/=_-]+)'/;
const SUBMISSION = /(name="submission" value=")([A-Za-z0-9_-]+)(")/;

interface StoredPage {
	status: number;
	headers: [string, string][];
	html: string;
	nonce: string | null;
}

let store: { content: object; pages: Map<string, StoredPage> } | undefined;

function cacheable(event: RequestEvent): boolean {
	// Note: SvelteKit gives a request for the page's data (`…/__data.json`) the page's own URL: only the page itself
	// is stored and replayed.
	if (event.isDataRequest || event.isSubRequest) return false;
	if (event.request.method !== 'GET' || event.url.search || !LESSON_PATH.test(event.url.pathname)) return false;
	return event.cookies.getAll().every((c) => c.name === TEXT_SIZE_COOKIE);
}

/** The stored page with the values of this response: a new nonce (header and page) and a new submission key. */
function replay(page: StoredPage): Response {
	let html = page.html.replace(SUBMISSION, (_, a, _old, b) => `${a}${newSubmissionKey()}${b}`);
	const headers = new Headers(page.headers);
	if (page.nonce) {
		const nonce = randomBytes(16).toString('base64');
		html = html.replaceAll(page.nonce, nonce);
		const csp = headers.get('content-security-policy');
		if (csp) headers.set('content-security-policy', csp.replaceAll(page.nonce, nonce));
	}
	return new Response(html, { status: page.status, headers });
}

export const anonymousLessonCache: Handle = async ({ event, resolve }) => {
	if (!cacheable(event)) return resolve(event);
	let content: object;
	try {
		content = await getContent();
	} catch {
		return resolve(event); // nothing published: the page explains
	}
	if (store?.content !== content) store = { content, pages: new Map() };
	const key = `${event.url.pathname} ${isLargeText(event.cookies) ? 'lg' : ''}`;
	const stored = store.pages.get(key);
	if (stored) return replay(stored);

	const response = await resolve(event);
	if (response.status !== 200 || response.headers.has('set-cookie') || !response.headers.get('content-type')?.startsWith('text/html')) {
		return response;
	}
	const html = await response.text();
	const headers = [...response.headers].filter(([name]) => name !== 'etag' && name !== 'content-length');
	const nonce = NONCE.exec(response.headers.get('content-security-policy') ?? '')?.[1] ?? null;
	// Only pages published in this version are kept: a reload that happened meanwhile leaves this one out.
	if (store.content === content) store.pages.set(key, { status: 200, headers, html, nonce });
	return new Response(html, { status: 200, headers: response.headers });
};
