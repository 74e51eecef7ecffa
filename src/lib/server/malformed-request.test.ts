import { describe, expect, it } from 'vitest';
import { checkRequestInput, formHasNul, NUL_MESSAGE, UNREADABLE_FORM_MESSAGE } from './malformed-request';

const findMalformedInput = async (request: Request, url: URL) => (await checkRequestInput(request, url)).problem;

const BASE = 'http://hocso.test';

function post(body: BodyInit, type: string | null, path = '/login'): [Request, URL] {
	const headers = type ? { 'content-type': type } : undefined;
	return [new Request(BASE + path, { method: 'POST', body, headers }), new URL(BASE + path)];
}

describe('findMalformedInput', () => {
	it('lets ordinary requests through, and leaves the body readable for the route', async () => {
		expect(await findMalformedInput(new Request(`${BASE}/courses?q=vân`), new URL(`${BASE}/courses?q=v%C3%A2n`))).toBeNull();
		const [request, url] = post('identifier=0912345678&password=l%C3%BAa+ch%C3%ADn', 'application/x-www-form-urlencoded');
		const checked = await checkRequestInput(request, url);
		expect(checked.problem).toBeNull();
		// The body was read once here: the route reads it from the request given back, with the same headers.
		expect(checked.request.method).toBe('POST');
		expect(checked.request.url).toBe(request.url);
		expect(checked.request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
		expect((await checked.request.formData()).get('password')).toBe('lúa chín');
		const form = new FormData();
		form.set('full_name', 'Đinh Thị Hoa');
		form.set('file', new Blob([new Uint8Array([0, 1, 2])]), 'bang.xlsx');
		const [multipart, url2] = post(form, null);
		const checkedMultipart = await checkRequestInput(multipart, url2);
		expect(checkedMultipart.problem).toBeNull();
		expect(checkedMultipart.request).toBe(multipart);
		expect((await multipart.formData()).get('full_name')).toBe('Đinh Thị Hoa');
		const get = new Request(`${BASE}/courses`);
		expect((await checkRequestInput(get, new URL(`${BASE}/courses`))).request).toBe(get);
		expect(await findMalformedInput(...post('{"answer":"a\\\\u0000"}', 'application/json'))).toBeNull();
	});

	it('refuses a NUL in the address', async () => {
		expect(await findMalformedInput(new Request(`${BASE}/records/%00`), new URL(`${BASE}/records/%00`))).toBe(NUL_MESSAGE);
		expect(await findMalformedInput(new Request(`${BASE}/api/units?q=a%00`), new URL(`${BASE}/api/units?q=a%00`))).toBe(NUL_MESSAGE);
	});

	it('refuses a NUL in any form field, raw or percent-encoded, urlencoded or multipart, and in JSON', async () => {
		expect(await findMalformedInput(...post('full_name=An%00h', 'application/x-www-form-urlencoded'))).toBe(NUL_MESSAGE);
		expect(await findMalformedInput(...post('q.a=x\u0000', 'application/x-www-form-urlencoded; charset=utf-8'))).toBe(NUL_MESSAGE);
		expect(await findMalformedInput(...post('a%00=1', 'application/x-www-form-urlencoded'))).toBe(NUL_MESSAGE);
		const form = new FormData();
		form.set('reason', 'x\u0000y');
		expect(await findMalformedInput(...post(form, null))).toBe(NUL_MESSAGE);
		expect(await findMalformedInput(...post('{"answer":"a\\u0000"}', 'application/json'))).toBe(NUL_MESSAGE);
	});

	it('refuses a multipart body without its boundary, or one that does not parse', async () => {
		expect(await findMalformedInput(...post('abc', 'multipart/form-data'))).toBe(UNREADABLE_FORM_MESSAGE);
		expect(await findMalformedInput(...post('abc', 'multipart/form-data; boundary=xyz'))).toBe(UNREADABLE_FORM_MESSAGE);
	});

	it('leaves a url-encoded body unread for a route that checks its own form, and only such a body', async () => {
		const body = 'submission=abc&q.a=x%00y';
		const [quiz, quizUrl] = post(body, 'application/x-www-form-urlencoded', '/courses/k/b?/quiz');
		const checked = await checkRequestInput(quiz, quizUrl, { formCheckedByRoute: true });
		expect(checked.problem).toBeNull();
		expect(checked.request).toBe(quiz);
		expect(quiz.bodyUsed).toBe(false);
		// What the action then does with it.
		expect(formHasNul(await quiz.formData())).toBe(true);
		// Any other route, and any other kind of body for that one: checked here as before.
		expect(await findMalformedInputOn(post(body, 'application/x-www-form-urlencoded', '/courses/k/b?/done'), false)).toBe(NUL_MESSAGE);
		expect(await findMalformedInputOn(post('q.a=x\u0000', 'text/plain', '/courses/k/b?/quiz'), true)).toBe(NUL_MESSAGE);
		const form = new FormData();
		form.set('q.a', 'x\u0000');
		expect(await findMalformedInputOn(post(form, null, '/courses/k/b?/quiz'), true)).toBe(NUL_MESSAGE);
	});

	it('finds a NUL in a parsed form', () => {
		const form = new FormData();
		form.set('q.a', 'Hà Nội');
		expect(formHasNul(form)).toBe(false);
		form.set('q.b\u0000', '1');
		expect(formHasNul(form)).toBe(true);
		const file = new FormData();
		file.set('file', new Blob([new Uint8Array([0, 0])]), 'a.bin');
		expect(formHasNul(file)).toBe(false);
	});
});

async function findMalformedInputOn([request, url]: [Request, URL], formCheckedByRoute: boolean) {
	return (await checkRequestInput(request, url, { formCheckedByRoute })).problem;
}
