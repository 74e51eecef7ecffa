import { expect, test } from '@playwright/test';

// Pages about one person are never stored by a cache (a shared computer in a commune office, a proxy).
const PERSONAL = ['/account', '/my', '/records/K7QF-M2XD-9H', '/admin/records', '/admin/assignments', '/don-vi/1'];

test.describe('personal pages and records', { tag: '@desktop-only' }, () => {
	test('personal pages answer Cache-Control: private, no-store, signed in or not', async ({ page, request }) => {
		for (const path of PERSONAL) {
			const r = await request.get(path, { maxRedirects: 0 });
			expect(r.headers()['cache-control'], path).toBe('private, no-store');
		}
		// Signed in, every page they get is private too (their name is in the header).
		await page.goto('/register');
		const name = `Lê Văn ${Date.now()}`;
		await page.getByLabel('Họ và tên').fill(name);
		await page.getByLabel('Số điện thoại', { exact: true }).fill(`09${String(Date.now()).slice(-8)}`);
		await page.getByLabel('Mật khẩu', { exact: true }).fill('mat-khau-rat-dai-2026');
		await page.getByLabel('Nhập lại mật khẩu').fill('mat-khau-rat-dai-2026');
		await page.getByRole('radio', { name: 'Người dân' }).check();
		await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
		await page.getByRole('button', { name: 'Đăng ký' }).click();
		await expect(page).toHaveURL(/\/account/);
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
