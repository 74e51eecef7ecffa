// What a new user meets at 360 px: the header, the quiz result, the registration form, the way back to a lesson.
import { expect, test, type Page } from '@playwright/test';
import { loadContent } from '../../src/lib/server/content/loader';
import { CITIZEN, registerByPost } from './support/people';

const PASSWORD = 'lúa chín vàng đồng';

/** A real lesson with a quiz and no video. */
function quizLesson() {
	const lessons = loadContent('content').courses.flatMap((c) => c.lessons);
	return lessons.find((l) => l.questions.length && !l.hasVideo)!;
}

async function fillRegistration(page: Page, name: string) {
	await page.getByLabel('Họ và tên').fill(name);
	await page.getByLabel('Tên đăng nhập (nếu không có số điện thoại)').fill(`hs${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`);
	await page.getByRole('radio', { name: 'Người dân' }).check();
	await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
}

test.describe('rough edges at 360 px', { tag: '@phone-only' }, () => {
	test('an anonymous learner is told progress stays in this browser, registers from the lesson and comes back to it', async ({ page }) => {
		const lesson = quizLesson();
		await page.goto(lesson.url);
		await expect(page.locator('#chi-luu-o-may-nay')).toHaveCount(0);
		await page.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(page.getByRole('heading', { name: /^Kết quả:/ })).toBeVisible();
		// The result box is on screen, its top edge included, not scrolled off above the viewport.
		const box = await page.locator('#ket-qua').boundingBox();
		expect(box!.y).toBeGreaterThanOrEqual(0);
		expect(box!.y).toBeLessThan(page.viewportSize()!.height / 2);
		const notice = page.locator('#chi-luu-o-may-nay');
		await expect(notice).toContainText('chỉ được lưu trong trình duyệt này');
		await notice.getByRole('link', { name: 'Đăng ký' }).click();
		await fillRegistration(page, 'Hà Thị Lan');
		await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
		await expect(page).toHaveURL(new RegExp(`${lesson.url}$`));
		// A visitor's quiz that was not passed is not stored (nothing is written until something is earned): back on the
		// lesson, the registered learner finds the quiz ready to answer again.
		await expect(page.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
		await expect(page.getByText(/Điểm cao nhất/)).toHaveCount(0);
		await expect(page.locator('#chi-luu-o-may-nay')).toHaveCount(0);
	});

	test('"Đăng nhập" and "Đăng ký" in the header come back to the page they were pressed on', async ({ page }) => {
		const lesson = quizLesson();
		await page.goto(lesson.url);
		await page.locator('.site-header').getByRole('link', { name: 'Đăng ký' }).click();
		await fillRegistration(page, 'Lê Văn Sáu');
		await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
		await expect(page).toHaveURL(new RegExp(`${lesson.url}$`));
	});

	test('logged in, the header stays compact and "Chữ to" keeps clear of the top edge', async ({ page }) => {
		await registerByPost(page, { name: 'Phạm Văn Tám', username: `hs${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`, audience: CITIZEN, unit: null });
		await page.goto('/courses');
		const header = await page.locator('.site-header').boundingBox();
		expect(header!.height).toBeLessThanOrEqual(104);
		const toggle = await page.getByRole('button', { name: 'Chữ to' }).boundingBox();
		expect(toggle!.y).toBeGreaterThanOrEqual(4);
		for (const name of ['Khóa học', 'Khóa học của tôi', 'Tài khoản']) {
			await expect(page.locator('.site-header nav').getByRole('link', { name, exact: true })).toBeVisible();
		}
	});

	test('searching for a commune keeps both passwords', async ({ page }) => {
		await page.goto('/register');
		await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
		await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
		await page.getByLabel('Tìm theo tên').fill('van canh');
		await page.getByRole('button', { name: 'Tìm' }).click();
		await expect(page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
		await expect(page.getByLabel('Mật khẩu', { exact: true })).toHaveValue(PASSWORD);
		await expect(page.getByLabel('Nhập lại mật khẩu')).toHaveValue(PASSWORD);
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });
		test('searching with passwords typed says to type them again', async ({ page }) => {
			await page.goto('/register');
			await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
			await page.getByLabel('Tìm theo tên').fill('van canh');
			await page.getByRole('button', { name: 'Tìm' }).click();
			await expect(page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
			await expect(page.getByRole('alert')).toHaveText(/nhập lại hai ô mật khẩu/);
		});
	});

	test('forms explain what is missing in Vietnamese, not with the browser\'s own bubbles', async ({ page }) => {
		for (const [url, button, message] of [
			['/register', 'Đăng ký', /Hãy nhập họ và tên/],
			['/login', 'Đăng nhập', /Hãy nhập số điện thoại/],
			['/verify', 'Kiểm tra', /Mã gồm 10 chữ và số/]
		] as const) {
			await page.goto(url);
			await page.locator('main').getByRole('button', { name: button, exact: true }).click();
			// An empty required box would have stopped the form in the browser; ours reaches the server and says why.
			await expect(page.locator('main')).toContainText(message);
		}
	});

	test('the certificate check is linked from the footer and the home page', async ({ page }) => {
		await page.goto('/');
		await expect(page.locator('main').getByRole('link', { name: 'Kiểm tra một giấy chứng nhận' })).toHaveAttribute('href', '/verify');
		await page.goto('/courses');
		await page.locator('.site-footer').getByRole('link', { name: 'Kiểm tra giấy chứng nhận' }).click();
		await expect(page).toHaveURL(/\/verify$/);
	});
});
