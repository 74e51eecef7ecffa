import { expect, test } from '@playwright/test';
import { CITIZEN, freshPhone, registerByPost } from './support/people';

// Pages about one person are never stored by a cache (a shared computer in a commune office, a proxy).
const PERSONAL = ['/account', '/my', '/records/K7QF-M2XD-9H', '/admin/records', '/admin/assignments', '/don-vi/1'];

test.describe('personal pages and records', { tag: '@desktop-only' }, () => {
	test('personal pages answer Cache-Control: private, no-store, signed in or not', async ({ page, request }) => {
		for (const path of PERSONAL) {
			const r = await request.get(path, { maxRedirects: 0 });
			expect(r.headers()['cache-control'], path).toBe('private, no-store');
		}
		// Signed in, every page they get is private too (their name is in the header).
		const name = `Lê Văn ${Date.now()}`;
		await registerByPost(page, { name, phone: freshPhone(), audience: CITIZEN, unit: null });
		for (const path of ['/account', '/my', '/courses']) {
			const r = await page.request.get(path, { maxRedirects: 0 });
			expect(r.status(), path).toBe(200);
			expect(r.headers()['cache-control'], path).toBe('private, no-store');
			if (path === '/account') expect(await r.text()).toContain(name);
		}
	});

	test('a certificate code that does not exist answers 404 with the form to try again', async ({ page }) => {
		const r = await page.goto('/verify/ZZZZ-ZZZZ-ZZ');
		expect(r?.status()).toBe(404);
		await expect(page.getByRole('alert')).toContainText('Không tìm thấy giấy chứng nhận có mã ZZZZ-ZZZZ-ZZ');
		await expect(page.getByLabel('Mã giấy chứng nhận')).toHaveValue('ZZZZ-ZZZZ-ZZ');
		const junk = await page.request.get('/verify/not-a-code');
		expect(junk.status()).toBe(404);
	});
});
