/**
 * Requests no page of ours can have produced: a NUL character in the address or in a form field (PostgreSQL text
 * cannot hold one), or a form body that cannot be read (multipart without its boundary). They are answered 400 with
 * a Vietnamese message before any route sees them, instead of failing deep inside a query with a 500.
 */

export const NUL_MESSAGE =
	'Dữ liệu gửi lên có ký tự không hợp lệ (ký tự rỗng NUL) mà bàn phím không gõ ra được. Hãy quay lại trang trước, gõ lại nội dung rồi gửi lại.';
export const UNREADABLE_FORM_MESSAGE = 'Không đọc được dữ liệu biểu mẫu gửi lên. Hãy quay lại trang trước, tải lại trang rồi gửi lại.';

const NUL = '\u0000';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A JSON `\u0000` escape (an odd run of backslashes before it: `\\u0000` is the text "\u0000", which is fine). */
const JSON_NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/i;

export interface InputCheck {
	/** Why the request cannot be accepted, as a message for the person; null when it is fine. */
	problem: string | null;
	/**
	 * The request to go on with, its body still unread: the same request, or (for a text body, read here once)
	 * an equal request made from the body as read.
	 */
	request: Request;
}

/** Whether a form read by a route has a NUL in a field's name or text value (see checkRequestInput). */
export function formHasNul(form: FormData): boolean {
	for (const [name, value] of form) if (name.includes(NUL) || (typeof value === 'string' && value.includes(NUL))) return true;
	return false;
}

/**
 * Checks a request's address and body for what no page of ours can send (see above). With `formCheckedByRoute` (a
 * route that calls formHasNul right after reading its form: the quiz submission, the busiest post of all) a
 * url-encoded body is left unread: reading it here means a copy of the request for the route, which was about a
 * fourteenth of a quiz submission's CPU time.
 */
export async function checkRequestInput(request: Request, url: URL, opts: { formCheckedByRoute?: boolean } = {}): Promise<InputCheck> {
	const refuse = (problem: string) => ({ problem, request });
	if (/%00/.test(url.pathname)) return refuse(NUL_MESSAGE);
	for (const [name, value] of url.searchParams) if (name.includes(NUL) || value.includes(NUL)) return refuse(NUL_MESSAGE);
	if (!BODY_METHODS.has(request.method) || request.body === null) return { problem: null, request };

	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	const mediaType = type.split(';')[0].trim();
	if (mediaType === 'application/x-www-form-urlencoded' && opts.formCheckedByRoute) return { problem: null, request };
	try {
		if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'application/json' || mediaType === 'text/plain') {
			// Read once (no clone of the body stream); the route reads the same text from the request made here.
			// That request does not follow the first one's abort signal: it aborts only when the body fails before its
			// end, which cannot happen once it has been read (and following it costs a listener on every post).
			const body = await request.text();
			if (body.includes(NUL)) return refuse(NUL_MESSAGE);
			if (mediaType === 'application/x-www-form-urlencoded' && body.includes('%00')) return refuse(NUL_MESSAGE);
			if (mediaType === 'application/json' && JSON_NUL_ESCAPE.test(body)) return refuse(NUL_MESSAGE);
			return { problem: null, request: new Request(request.url, { method: request.method, headers: request.headers, body }) };
		} else if (mediaType === 'multipart/form-data') {
			if (!/;\s*boundary=/.test(type)) return refuse(UNREADABLE_FORM_MESSAGE);
			// Files may be large: the body is read from a copy and left to the route as it came.
			// Files may hold any bytes; only text fields end up in text columns.
			if (formHasNul(await request.clone().formData())) return refuse(NUL_MESSAGE);
		}
	} catch {
		return refuse(UNREADABLE_FORM_MESSAGE);
	}
	return { problem: null, request };
}
