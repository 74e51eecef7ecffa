// The scam practice played with JavaScript on a 360 px phone: every tap is answered in the page (no page load), the
// run is sent once at the end and counted on the server, and the page is clean for axe at the end.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/people';

const PRACTICE = '/courses/an-toan-tren-mang/thuc-hanh-nhan-dien-lua-dao/thuc-hanh/ba-tinh-huong-lua-dao';
const TAPS: [string, string][] = [
	['Chuyển 5 triệu để xác minh', 'không bao giờ bảo người dân chuyển tiền'],
	['Quay lại', 'Tình huống 1 trên 3'],
	['Tắt máy', 'gọi ai để hỏi'],
	['Gọi Công an xã, số đã lưu từ bảng tin của xã', 'Công an không gọi điện đòi tiền'],
	['Tiếp tục', 'Tình huống 2 trên 3'],
	['Xem hóa đơn trong ứng dụng điện lực hoặc gọi tổng đài in trên hóa đơn', 'không còn nợ'],
	['Tiếp tục', 'Tình huống 3 trên 3'],
	['Không trả lời, báo 156 rồi xóa tin', 'cả ba lần']
];

test('a practice played by the script without page loads, counted once at the end', { tag: '@phone-only' }, async ({ page }) => {
	const loaded = page.waitForResponse((r) => r.url().endsWith('/buoc.json') && r.request().method() === 'GET');
	await page.goto(PRACTICE);
	await loaded;
	// The script has taken over once the tap targets are plain buttons (no form post).
	await expect(page.locator('.practice-target[type=button]').first()).toBeAttached();
	const say = page.locator('#practice-say');
	const posts: string[] = [];
	let navigations = 0;
	page.on('framenavigated', () => navigations++);
	page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
	const sent = page.waitForResponse((r) => r.url().endsWith('/buoc.json') && r.request().method() === 'POST');
	const started = Date.now();
	for (const [tap, then] of TAPS) {
		await page.getByRole('button', { name: tap, exact: true }).click();
		await expect(page.locator('main')).toContainText(then);
		if (tap === 'Tắt máy') {
			// A wrong tap: its feedback in the page, the same step, the instruction keeps focus for the next try.
			await expect(say).toBeFocused();
			await page.getByRole('button', { name: 'Gọi lại số vừa gọi', exact: true }).click();
			await expect(page.locator('.practice-wrong')).toContainText('Số đó là của kẻ gian');
			await expect(say).toContainText(then);
		}
	}
	const response = await sent;
	expect(await response.json()).toMatchObject({ saved: true, completed: true });
	await expect(page.getByRole('status')).toContainText('Đã ghi nhận');
	expect(navigations).toBe(0);
	expect(posts).toHaveLength(1);
	console.log(`practice with JavaScript: ${TAPS.length} taps in ${((Date.now() - started) / 1000).toFixed(1)} s, no page load`);
	await expectNoAxeViolations(page);
});

test("the script's text field: a citizen ID checked in the page, with its message, hint and focus, and the keyboard", { tag: '@phone-only' }, async ({ page }) => {
	const posts: string[] = [];
	page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
	await page.goto('/courses/dinh-danh-dien-tu-vneid/thuc-hanh-kich-hoat-vneid/thuc-hanh/kich-hoat-muc-2');
	await expect(page.locator('.practice-target[type=button]').first()).toBeAttached();
	await page.getByRole('button', { name: 'Kích hoạt tài khoản định danh điện tử', exact: true }).click();
	await expect(page.locator('#practice-say')).toContainText('Gõ số định danh cá nhân');
	const field = page.getByLabel('Số định danh cá nhân (12 chữ số)');
	const message = page.locator('#practice-message');
	// Eleven digits, sent with the keyboard's Enter: refused in the page, with the message and the hint read out.
	await field.focus();
	await page.keyboard.type('12345678901');
	await page.keyboard.press('Enter');
	await expect(message).toHaveAttribute('role', 'alert');
	await expect(message).toContainText('gồm đúng 12 chữ số');
	await expect(message).toContainText('Gợi ý: Số định danh in trên thẻ căn cước');
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	await expect(field).toHaveAttribute('aria-describedby', 'practice-message');
	await expect(field).toBeFocused();
	await expect(field).toHaveValue('12345678901');
	await expectNoAxeViolations(page);
	// Spaces inside the number are refused too; the right number goes on to the next field, empty and valid again.
	await field.fill('1234 5678 9012');
	await page.getByRole('button', { name: 'Tiếp tục' }).click();
	await expect(message).toContainText('không có chữ hay dấu cách');
	await field.fill('123456789012');
	await page.keyboard.press('Enter');
	await expect(page.locator('#practice-say')).toContainText('Gõ số điện thoại');
	const phone = page.getByLabel('Số điện thoại (10 chữ số)');
	await expect(phone).toHaveValue('');
	await expect(phone).not.toHaveAttribute('aria-invalid', /.*/);
	await expect(message).toHaveText('');
	// Nothing was sent on the way: entries are checked in the page, the run goes to the server at its end.
	expect(posts).toEqual([]);
});
