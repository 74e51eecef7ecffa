import { randomBytes } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getContent } from '$lib/server/content';
import { newSubmissionKey } from '$lib/server/learning/attempts';
import { isLargeText, TEXT_SIZE_COOKIE } from '$lib/server/text-size';

// A lesson page is the same for every anonymous reader of one published version of the content, but for two
// values that must differ on every response: the CSP nonce and the quiz form's submission key. It is rendered
// once per published version (and text size) and each later anonymous request gets the stored page with a fresh
// nonce and key put in, and an ETag and length of its own as a rendered page has. Anyone who carries any cookie
// other than the text size (a session, a guest's progress) is rendered as before. A new publication replaces the
// whole store.

const LESSON_PATH = /^\/courses\/[a-z0-9-]+\/[a-z0-9-]+$/;
const NONCE = /'nonce-([A-Za-z0-9+/=_-]+)'/;
const SUBMISSION = /(name="submission" value=")([A-Za-z0-9_-]+)(")/;

interface StoredPage {
	status: number;
	headers: [string, string][];
	/** The page split around its submission key (no key: one part). */
	parts: [string] | [string, string];
	/** The ETag of the page as first rendered: each replay gets one derived from it and its own values. */
	etag: string;
	nonce: string | null;
}

/** A short hash (djb2, as SvelteKit's ETag) of `base` and the values put into this response. */
function etagOf(base: string, ...values: string[]): string {
	let h = 5381;
	for (const v of [base, ...values]) for (let i = 0; i < v.length; i++) h = (h * 33) ^ v.charCodeAt(i);
	return `"${(h >>> 0).toString(36)}"`;
}

let store: { content: object; pages: Map<string, StoredPage> } | undefined;

function cacheable(event: RequestEvent): boolean {
	// Note: SvelteKit gives a request for the page's data (`…/__data.json`) the page's own URL: only the page itself
	// is stored and replayed.
	if (event.isDataRequest || event.isSubRequest) return false;
	if (event.request.method !== 'GET' || event.url.search || !LESSON_PATH.test(event.url.pathname)) return false;
	return event.cookies.getAll().every((c) => c.name === TEXT_SIZE_COOKIE);
}

function toStored(html: string, headers: Headers): StoredPage {
	const m = SUBMISSION.exec(html);
	const parts: StoredPage['parts'] = m ? [html.slice(0, m.index + m[1].length), html.slice(m.index + m[1].length + m[2].length)] : [html];
	return {
		status: 200,
		headers: [...headers].filter(([name]) => name !== 'etag' && name !== 'content-length'),
		parts,
		etag: headers.get('etag') ?? '',
		nonce: NONCE.exec(headers.get('content-security-policy') ?? '')?.[1] ?? null
	};
}

/** The stored page with the values of this response: a new submission key and, if the page has one, a new nonce. */
function replay(page: StoredPage): Response {
	const key = page.parts.length === 2 ? newSubmissionKey() : '';
	let html = page.parts.length === 2 ? page.parts[0] + key + page.parts[1] : page.parts[0];
	const headers = new Headers(page.headers);
	let nonce = '';
	if (page.nonce) {
		nonce = randomBytes(16).toString('base64');
		html = html.replaceAll(page.nonce, nonce);
		const csp = headers.get('content-security-policy');
		if (csp) headers.set('content-security-policy', csp.replaceAll(page.nonce, nonce));
	}
	if (page.etag) headers.set('etag', etagOf(page.etag, key, nonce));
	headers.set('content-length', String(Buffer.byteLength(html)));
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
	// Only pages published in this version are kept: a reload that happened meanwhile leaves this one out.
	if (store.content === content) store.pages.set(key, toStored(html, response.headers));
	return new Response(html, { status: 200, headers: response.headers });
};
