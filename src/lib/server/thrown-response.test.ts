import { beforeEach, describe, expect, test } from 'vitest';
import { error, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import { thrownErrorResponse } from './thrown-response';

function event(accept: string | null, isDataRequest = false) {
	const headers = new Headers();
	if (accept !== null) headers.set('accept', accept);
	return { isDataRequest, request: new Request('http://localhost/login', { headers }), url: new URL('http://localhost/login') } as unknown as RequestEvent;
}
/** The error `error()` throws, as a hook throws it. */
function httpError(status: number, message: string): unknown {
	try {
		error(status, message);
	} catch (e) {
		return e;
	}
}
/** What handleError was given during the test. */
const handled: unknown[] = [];
beforeEach(() => {
	handled.length = 0;
});
const handleError: HandleServerError = ({ error }) => {
	handled.push(error);
	return { message: 'Đã có lỗi xảy ra' };
};

describe('the answer to an error thrown by a hook', () => {
	test("a refused request: the static error page with the status and the message, escaped; handleError isn't asked", async () => {
		const res = await thrownErrorResponse(event('text/html'), httpError(400, 'Yêu cầu có ký tự không hợp lệ <NUL>.'), handleError);
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		const html = await res.text();
		expect(html).toContain('<title>Lỗi 400 · Học Số</title>');
		expect(html).toContain('Không mở được trang (lỗi 400)');
		expect(html).toContain('Yêu cầu có ký tự không hợp lệ &lt;NUL&gt;.');
		expect(html).not.toContain('%sveltekit');
		expect(handled).toEqual([]);
	});

	test('JSON for a data request or a client that ranks JSON first (or as high as HTML); HTML without an Accept header', async () => {
		for (const [accept, data, type] of [
			['application/json', false, 'application/json'],
			['*/*', false, 'application/json'],
			['text/html;q=0.5, application/json', false, 'application/json'],
			['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false, 'text/html; charset=utf-8'],
			['application/json;q=0.2, text/*', false, 'text/html; charset=utf-8'],
			['image/png', false, 'text/html; charset=utf-8'],
			[null, false, 'text/html; charset=utf-8'],
			['text/html', true, 'application/json']
		] as const) {
			const res = await thrownErrorResponse(event(accept, data), httpError(400, 'Không đọc được dữ liệu gửi lên.'), handleError);
			expect(res.headers.get('content-type'), `${accept} ${data}`).toBe(type);
			if (type === 'application/json') expect(await res.json()).toEqual({ message: 'Không đọc được dữ liệu gửi lên.' });
		}
	});

	test('an unexpected error: 500 with the message handleError gives, and handleError sees the error', async () => {
		const fault = new Error('connection reset');
		const res = await thrownErrorResponse(event('text/html'), fault, handleError);
		expect(res.status).toBe(500);
		expect(await res.text()).toContain('Đã có lỗi xảy ra');
		expect(handled).toEqual([fault]);
	});
});
