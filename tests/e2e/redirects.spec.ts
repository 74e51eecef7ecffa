import { expect, test, type APIRequestContext } from '@playwright/test';

/** Addresses that a link or a form could carry in `next` to send a person off the site after logging in. */
const HOSTILE_NEXT = [
	'/..//evil.example/x',
	'/.//evil.example/x',
	'/.//',
	'/%2e%2e//evil.example/x',
	'/%2E%2E//evil.example/x',
	'/a/../..//evil.example/x',
	'/\\evil.example/x',
	'/..\\evil.example/x',
	'/%5cevil.example/x',
	'/%2f%2fevil.example/x',
	'//evil.example/x',
	'https://evil.example/x',
	'/\t/evil.example/x'
];

const PASSWORD = 'lúa chín vàng đồng';

function freshPhone(): string {
	return `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** A form post as a browser without JavaScript sends it (same origin, expecting HTML), redirects not followed. */
function post(request: APIRequestContext, baseURL: string, path: string, form: Record<string, string>) {
	return request.post(path, { form, maxRedirects: 0, headers: { origin: baseURL, accept: 'text/html' } });
}

/** Where a redirect sends the browser, resolved the way the browser resolves it. */
function destination(location: string | undefined, baseURL: string): URL {
	expect(location, 'a Location header').toBeTruthy();
	return new URL(location!, baseURL);
}

test.describe('after logging in, only pages of this site', () => {
	test('GET /login?next=… for someone logged in, POST /login and POST /text-size', async ({ playwright, baseURL }) => {
		test.setTimeout(120_000);
		const origin = new URL(baseURL!).origin;
		const request = await playwright.request.newContext({ baseURL });
		const phone = freshPhone();
		const registered = await post(request, origin, '/register', {
			full_name: 'Lò Văn Chiến',
			phone,
			password: PASSWORD,
			password_repeat: PASSWORD,
			audience: 'citizen',
			consent: 'yes',
			next: '/..//evil.example/x'
		});
		expect(registered.status()).toBe(303);
		expect(destination(registered.headers().location, origin).origin).toBe(origin);

		for (const next of HOSTILE_NEXT) {
			const res = await request.get(`/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
			expect(res.status(), next).toBe(303);
			const to = destination(res.headers().location, origin);
			expect(to.origin, next).toBe(origin);
			expect(res.headers().location, next).not.toMatch(/^\/\/|^\/\\|^[a-z]+:/i);
		}
		// The raw, unencoded form of the address as a link would carry it.
		const raw = await request.get('/login?next=/..//evil.example/x', { maxRedirects: 0 });
		expect(destination(raw.headers().location, origin).origin).toBe(origin);
		// A same-site page is still honoured, normalised.
		const fine = await request.get(`/login?next=${encodeURIComponent('/courses/../my')}`, { maxRedirects: 0 });
		expect(fine.headers().location).toBe('/my');

		for (const next of HOSTILE_NEXT) {
			const res = await post(request, origin, '/text-size', { next });
			expect(res.status(), next).toBe(303);
			expect(destination(res.headers().location, origin).origin, next).toBe(origin);
		}
		const back = await post(request, origin, '/text-size', { next: '/courses?x=1' });
		expect(back.headers().location).toBe('/courses?x=1');
		await request.dispose();

		// A fresh visitor logs in with each hostile `next`.
		for (const next of HOSTILE_NEXT.slice(0, 6)) {
			const visitor = await playwright.request.newContext({ baseURL });
			const res = await post(visitor, origin, '/login', { identifier: phone, password: PASSWORD, next });
			expect(res.status(), next).toBe(303);
			expect(destination(res.headers().location, origin).origin, next).toBe(origin);
			await visitor.dispose();
		}
	});
});
