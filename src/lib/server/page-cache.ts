import { randomBytes } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getContent } from '$lib/server/content';
import { db } from '$lib/server/db';
import { newSubmissionKey } from '$lib/server/learning/attempts';
import { recordLessonOpened } from '$lib/server/learning/progress';
import { isLargeText, TEXT_SIZE_COOKIE } from '$lib/server/text-size';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { DEVICE_COOKIE } from '$lib/server/auth/device';
import { headerOf } from '$lib/server/header';
import { formatScore } from '$lib/server/learning/score';
import { ATTEMPT_PARAM, storedResultView } from '$lib/server/learning/result-view';
import { getLessonPage } from '$lib/server/content/catalog';
import { answeredQuizHtml, resultNoticeHtml } from '$lib/server/content/quiz-html';
import { escapeHtml } from '$lib/escape-html';
import { parseId } from '$lib/ids';
import { READ_NOTE, guestNote, mainNavLinks, navLinksHtml, quizProgressNote } from '$lib/personal-html';

// A lesson page is the same for every anonymous reader of one published version of the content, but for two
// values that must differ on every response: the CSP nonce and the quiz form's submission key. It is rendered
// once per published version (and text size) and each later anonymous request gets the stored page with a fresh
// nonce and key put in, and an ETag and length of its own as a rendered page has. Anyone who carries any cookie
// other than the text size (a session, a guest's progress) is rendered as before. A new publication replaces the
// whole store.
//
// A signed-in reader (a learner or a guest) of the same lesson gets the same stored page with their own parts put
// in at fixed places: the header's links, who they are for the offline queue, their progress in the lesson (or,
// for a guest, where it is kept) and the submission key (personalLessonPage). Those parts come from this request's
// session check, which read the progress in the same query; nothing of one reader is ever stored. A reader's result
// page (`?lan-lam=`, where a submission leads) is the same stored page with the result above the lesson, the quiz with
// their answers and verdicts, and the page's own address, each rendered by the components the page itself uses
// (QuizResultNotice, QuizFields), and for a guest the header's links coming back to it. A page whose session was
// just extended (its cookie is sent again) and one carrying a cookie we do not know are rendered as before.

const LESSON_PATH = /^\/courses\/[a-z0-9-]+\/[a-z0-9-]+$/;
const NONCE = /'nonce-([A-Za-z0-9+/=_-]+)'/;
const SUBMISSION = /(name="submission" value=")([A-Za-z0-9_-]+)(")/;

interface StoredPage {
	status: number;
	headers: [string, string][];
	/** The page split around its submission key (no key: one part). */
	parts: [string] | [string, string];
	/** Each part encoded once (see encodeAroundNonce). */
	encoded: Buffer[][];
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
	const nonce = NONCE.exec(headers.get('content-security-policy') ?? '')?.[1] ?? null;
	return {
		status: 200,
		headers: [...headers].filter(([name]) => name !== 'etag' && name !== 'content-length'),
		parts,
		encoded: parts.map((part) => encodeAroundNonce(part, nonce)),
		etag: headers.get('etag') ?? '',
		nonce
	};
}

/**
 * A text of a stored page as UTF-8, encoded once: a replay sends these bytes as they are, with its own nonce put
 * between each two pieces (where the stored page's nonce was), instead of encoding the whole page again.
 */
export function encodeAroundNonce(text: string, nonce: string | null): Buffer[] {
	return (nonce ? text.split(nonce) : [text]).map((piece) => Buffer.from(piece));
}

/** The body of one replay: pieces made by encodeAroundNonce with `nonce` between each two, and text of this response. */
export class ReplayBody {
	readonly #chunks: Buffer[] = [];
	readonly #nonce: Buffer;
	readonly #stored: string | null;
	readonly #fresh: string;

	/** `stored`: the stored page's nonce (null: none), which text taken from the stored page gets replaced. */
	constructor(stored: string | null, fresh: string) {
		this.#stored = stored;
		this.#fresh = fresh;
		this.#nonce = Buffer.from(fresh);
	}

	pieces(encoded: Buffer[]): void {
		for (let i = 0; i < encoded.length; i++) {
			if (i > 0) this.#chunks.push(this.#nonce);
			this.#chunks.push(encoded[i]);
		}
	}

	/** Text of this response; `fromPage`: taken from the stored page, which may carry its nonce. */
	text(text: string, fromPage = false): void {
		if (!text) return;
		this.#chunks.push(Buffer.from(fromPage && this.#stored ? text.replaceAll(this.#stored, this.#fresh) : text));
	}

	bytes(): Buffer<ArrayBuffer> {
		// Buffer.concat copies into memory of its own (an ArrayBuffer, never a shared one).
		return Buffer.concat(this.#chunks) as Buffer<ArrayBuffer>;
	}
}

/** A new nonce for a replay of `page` ('' when the page has none). */
function freshNonce(page: StoredPage): string {
	return page.nonce ? randomBytes(16).toString('base64') : '';
}

/** The stored page with the values of this response: a new submission key and, if the page has one, a new nonce. */
function replay(page: StoredPage): Response {
	const key = page.parts.length === 2 ? newSubmissionKey() : '';
	const nonce = freshNonce(page);
	const body = new ReplayBody(page.nonce, nonce);
	body.pieces(page.encoded[0]);
	if (page.parts.length === 2) {
		body.text(key);
		body.pieces(page.encoded[1]);
	}
	return replayBytes(page, body.bytes(), nonce, [key]);
}

/**
 * `body` (the stored page with this response's values in) sent with the stored page's headers, the response's
 * nonce in its CSP if the page has one, and an ETag made of the stored one and `values`.
 */
function replayBytes(page: StoredPage, body: Buffer<ArrayBuffer>, nonce: string, values: string[], extraHeaders: Record<string, string> = {}): Response {
	const headers = new Headers(page.headers);
	if (page.nonce) {
		const csp = headers.get('content-security-policy');
		if (csp) headers.set('content-security-policy', csp.replaceAll(page.nonce, nonce));
	}
	for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
	if (page.etag) headers.set('etag', etagOf(page.etag, ...values, nonce));
	headers.set('content-length', String(body.length));
	return new Response(body, { status: page.status, headers });
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

/** Cookies a signed-in reader's lesson page may carry and still be put together from the stored page. */
const PERSONAL_PAGE_COOKIES = new Set([SESSION_COOKIE, TEXT_SIZE_COOKIE, DEVICE_COOKIE]);

/** The places of a stored page where a signed-in reader's parts go, found once per stored page. */
interface PersonalTemplate {
	/** The page cut at each place: texts[i] comes before slots[i], each encoded once (see encodeAroundNonce). */
	texts: Buffer[][];
	slots: Slot[];
	page: StoredPage;
	/** Whether a result page (`?lan-lam=`) can be put together from it: it has the 'here' and 'quiz-fields' places. */
	results: boolean;
}

type Slot =
	| { kind: 'nav'; anonymous: string }
	| { kind: 'who' }
	| { kind: 'guest' }
	| { kind: 'quiz-note' }
	| { kind: 'read'; form: string }
	| { kind: 'key' }
	/** The unanswered quiz (encoded once): a result page shows the reader's answers and results there. */
	| { kind: 'quiz-fields'; blank: Buffer[] }
	/** The page's own address in the text size form (it comes back there), with the query of a result page. */
	| { kind: 'here'; stored: string };

const personalTemplates = new WeakMap<StoredPage, PersonalTemplate | null>();

const NAV_OPEN = '<nav aria-label="Chính">';
const WHO = ' data-who=""';
const MAIN = '<main id="noi-dung"';
const QUIZ_FORM = '<form method="POST" action="?/quiz">';
const DONE_FORM = '<form method="POST" action="?/done">';
const KEY_MARK = '\u0000key\u0000';
const HERE = '<input type="hidden" name="next" value="';
/** A result page's query (see ATTEMPT_PARAM): nothing else is put together from the stored page. */
const RESULT_SEARCH = new RegExp(`^\\?${ATTEMPT_PARAM}=([0-9]+)$`);

function onlyOnce(html: string, needle: string): number {
	const at = html.indexOf(needle);
	return at >= 0 && html.indexOf(needle, at + 1) < 0 ? at : -1;
}

/**
 * Finds the places of the personal parts in an anonymous lesson page; null when one is not where the page's
 * markup puts it (the page is then rendered for each signed-in reader).
 */
function toTemplate(page: StoredPage, blankQuiz: string | null): PersonalTemplate | null {
	if (page.parts.length !== 2 && page.parts[0].includes('action="?/quiz"')) return null;
	const html = page.parts.length === 2 ? page.parts[0] + KEY_MARK + page.parts[1] : page.parts[0];
	const cuts: { at: number; end: number; slot: Slot }[] = [];
	const navAt = onlyOnce(html, NAV_OPEN);
	const navEnd = navAt < 0 ? -1 : html.indexOf('</nav>', navAt);
	const mainAt = onlyOnce(html, MAIN);
	const whoAt = mainAt < 0 ? -1 : html.indexOf(WHO, mainAt);
	if (navEnd < 0 || whoAt < 0 || html.indexOf('>', mainAt) < whoAt) return null;
	const navInner = navAt + NAV_OPEN.length;
	cuts.push({ at: navInner, end: navEnd, slot: { kind: 'nav', anonymous: html.slice(navInner, navEnd) } });
	cuts.push({ at: whoAt, end: whoAt + WHO.length, slot: { kind: 'who' } });
	// A guest's note comes before the lesson's contents, or its text when it has none.
	const bodyAt = html.indexOf('<div class="lesson-body"');
	const tocAt = html.indexOf('<details class="toc">');
	const guestAt = tocAt >= 0 && tocAt < bodyAt ? tocAt : bodyAt;
	if (guestAt < 0) return null;
	cuts.push({ at: guestAt, end: guestAt, slot: { kind: 'guest' } });
	const quizAt = onlyOnce(html, QUIZ_FORM);
	const doneAt = onlyOnce(html, DONE_FORM);
	if (quizAt >= 0 === doneAt >= 0) return null; // a lesson has its quiz or its "read" button
	if (quizAt >= 0) cuts.push({ at: quizAt, end: quizAt, slot: { kind: 'quiz-note' } });
	else {
		const end = html.indexOf('</form>', doneAt) + '</form>'.length;
		cuts.push({ at: doneAt, end, slot: { kind: 'read', form: html.slice(doneAt, end) } });
	}
	const keyAt = html.indexOf(KEY_MARK);
	if (keyAt >= 0) cuts.push({ at: keyAt, end: keyAt + KEY_MARK.length, slot: { kind: 'key' } });
	// A result page needs the quiz's place (after the quiz form's start) and the page's address in the header.
	const fieldsAt = quizAt >= 0 && blankQuiz ? onlyOnce(html, blankQuiz) : -1;
	const hereAt = onlyOnce(html, HERE);
	const hereEnd = hereAt < 0 ? -1 : html.indexOf('"', hereAt + HERE.length);
	const results = fieldsAt > quizAt && hereEnd > 0 && hereEnd < mainAt;
	if (results) {
		cuts.push({ at: fieldsAt, end: fieldsAt + blankQuiz!.length, slot: { kind: 'quiz-fields', blank: encodeAroundNonce(blankQuiz!, page.nonce) } });
		const valueAt = hereAt + HERE.length;
		cuts.push({ at: valueAt, end: hereEnd, slot: { kind: 'here', stored: html.slice(valueAt, hereEnd) } });
	}
	cuts.sort((a, b) => a.at - b.at);
	const texts: string[] = [];
	let from = 0;
	for (const c of cuts) {
		if (c.at < from) return null;
		texts.push(html.slice(from, c.at));
		from = c.end;
	}
	texts.push(html.slice(from));
	return { texts: texts.map((t) => encodeAroundNonce(t, page.nonce)), slots: cuts.map((c) => c.slot), page, results };
}

function personalCacheable(event: RequestEvent): boolean {
	if (event.isDataRequest || event.isSubRequest) return false;
	if (event.request.method !== 'GET' || (event.url.search && !RESULT_SEARCH.test(event.url.search)) || !LESSON_PATH.test(event.url.pathname)) return false;
	return event.cookies.getAll().every((c) => PERSONAL_PAGE_COOKIES.has(c.name));
}

/** The stored anonymous page of this lesson, rendered now (as for a reader without a session) if there is none. */
async function anonymousPage(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve'], content: object, key: string): Promise<StoredPage | null> {
	const stored = store!.pages.get(key);
	if (stored) return stored;
	const { user, session, lessonProgress } = event.locals;
	event.locals.user = null;
	event.locals.session = null;
	event.locals.lessonProgress = undefined;
	let response: Response;
	try {
		response = await resolve(event);
	} finally {
		event.locals.user = user;
		event.locals.session = session;
		event.locals.lessonProgress = lessonProgress;
	}
	if (response.status !== 200 || response.headers.has('set-cookie') || !response.headers.get('content-type')?.startsWith('text/html')) return null;
	const page = toStored(await response.text(), response.headers);
	if (store?.content === content) store.pages.set(key, page);
	return page;
}

/** A lesson page for a signed-in reader: the stored page with their parts (see the note at the top). */
export const personalLessonPage: Handle = async ({ event, resolve }) => {
	const user = event.locals.user;
	const known = event.locals.lessonProgress;
	if (!user || !known || event.locals.sessionRenewed || !personalCacheable(event)) return resolve(event);
	if (known.course !== event.params.course || known.lesson !== event.params.lesson) return resolve(event);
	const header = headerOf(user);
	if (header.contentErrors) return resolve(event); // the alert for those who can fix the courses
	let content: object;
	try {
		content = await getContent();
	} catch {
		return resolve(event);
	}
	if (store?.content !== content) store = { content, pages: new Map() };
	// A result page (after a submission): only from a page stored already (one rendered now would carry this
	// address, with its query, as the anonymous page's).
	let resultOf: number | null = null;
	if (event.url.search) {
		resultOf = parseId(RESULT_SEARCH.exec(event.url.search)?.[1]);
		// An attempt number that is no id is answered by the page (400).
		if (resultOf === null) return resolve(event);
	}
	const key = `${event.url.pathname} ${isLargeText(event.cookies) ? 'lg' : ''}`;
	const page = resultOf === null ? await anonymousPage(event, resolve, content, key) : (store.pages.get(key) ?? null);
	let template = page && personalTemplates.get(page);
	const lessonPage = page && (template === undefined || resultOf !== null) ? await getLessonPage(known.course, known.lesson) : undefined;
	if (page && template === undefined) {
		template = lessonPage ? toTemplate(page, lessonPage.quiz.length ? lessonPage.blankQuiz.html : null) : null;
		personalTemplates.set(page, template);
	}
	if (!template) return resolve(event);
	let result: { notice: string; fields: string } | null = null;
	if (resultOf !== null) {
		if (!template.results || !lessonPage) return resolve(event);
		// Not this learner's attempt at this lesson: the page shows the quiz as new (at this address).
		const view = await storedResultView(await db(), user, known.course, known.lesson, resultOf, lessonPage.lesson.passMark);
		const url = `/courses/${lessonPage.course.slug}/${lessonPage.lesson.slug}`;
		if (view) {
			result = {
				notice: resultNoticeHtml({ quiz: view, finished: view.completed ? view : undefined, url, next: lessonPage.next }),
				fields: answeredQuizHtml(lessonPage.quiz, view.responses, view.results)
			};
		}
	}

	// The first opening counts for the trainers' analytics, as the page's load would count it.
	if (user.kind === 'learner' && !known.opened) {
		await recordLessonOpened(await db(), user.id, known.course, known.lesson);
	}
	const progress = known.progress && { passed: known.progress.passed, bestScoreText: known.progress.bestScore === null ? null : formatScore(known.progress.bestScore) };
	const submission = newSubmissionKey();
	const nonce = freshNonce(template.page);
	const body = new ReplayBody(template.page.nonce, nonce);
	for (let i = 0; i < template.slots.length; i++) {
		body.pieces(template.texts[i]);
		const slot = template.slots[i];
		switch (slot.kind) {
			case 'nav':
				if (header.user) body.text(navLinksHtml(mainNavLinks({ user: true, managesUnits: header.managesUnits, readsAnalytics: header.readsAnalytics, next: '' })));
				// A guest's result page: logging in or registering comes back to it, as the header says on every page.
				else if (resultOf !== null) body.text(navLinksHtml(mainNavLinks({ user: false, managesUnits: false, readsAnalytics: false, next: `?next=${encodeURIComponent(event.url.pathname + event.url.search)}` })));
				else body.text(slot.anonymous, true);
				break;
			case 'who':
				body.text(` data-who="${escapeHtml(header.who)}"`);
				break;
			case 'guest':
				if (result) body.text(result.notice);
				if (header.isGuest) body.text(guestNote(event.url.pathname));
				break;
			case 'quiz-note':
				body.text(quizProgressNote(progress, !!result));
				break;
			case 'quiz-fields':
				if (result) body.text(result.fields);
				else body.pieces(slot.blank);
				break;
			case 'here':
				if (resultOf !== null) body.text(event.url.pathname + event.url.search);
				else body.text(slot.stored, true);
				break;
			case 'read':
				if (known.progress?.read) body.text(READ_NOTE);
				else body.text(slot.form, true);
				break;
			case 'key':
				body.text(submission);
				break;
		}
	}
	body.pieces(template.texts[template.slots.length]);
	return replayBytes(template.page, body.bytes(), nonce, [submission, header.who, String(header.managesUnits), String(header.readsAnalytics), JSON.stringify(known.progress), String(resultOf)], { 'cache-control': 'private, no-store' });
};
