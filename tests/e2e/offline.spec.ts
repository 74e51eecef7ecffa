// Learning offline: a learner stores a course, loses the network, answers quizzes, gets the network back, and
// every answer is recorded exactly once (counted in the database). Runs on the small test courses.
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { CITIZEN, registerByPost } from './support/people';

const COURSE = '/courses/khoa-kiem-thu';
const QUIZ = '/courses/khoa-kiem-thu/bai-kiem-tra';

let app: FixtureApp;
test.beforeAll(async () => {
	app = await startFixtureApp('offline');
});
test.afterAll(async () => {
	await app?.stop();
});

async function countAttempts(username: string): Promise<number> {
	const c = new pg.Client({ connectionString: app.dbUrl });
	await c.connect();
	try {
		const r = await c.query('select count(*)::int as n from quiz_attempt a join app_user u on u.id = a.user_id where u.username = $1', [username]);
		return r.rows[0].n;
	} finally {
		await c.end();
	}
}

async function register(page: Page, name: string): Promise<string> {
	const username = `off${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
	await registerByPost(page, { name, username, audience: CITIZEN, unit: null, origin: app.origin });
	return username;
}

/** Stores the test course with its button, once the service worker controls the page. */
async function storeCourse(page: Page) {
	await page.goto(app.origin + COURSE);
	await page.evaluate(() => navigator.serviceWorker.ready);
	const box = page.locator('[data-offline-course]');
	await expect(box).toBeVisible();
	// The size is said before anything is stored.
	await expect(box).toContainText(/cần khoảng \d+,\d MB/);
	await box.getByRole('button', { name: 'Lưu để học khi không có mạng' }).click();
	await expect(box).toContainText('✓ Đã lưu trên máy');
	await expect(box.getByRole('button', { name: 'Xóa khỏi máy' })).toBeVisible();
}

async function answerShortQuiz(page: Page, right: boolean) {
	await page.locator(`input[name="q.t-ngan-1"][value="${right ? 'true' : 'false'}"]`).check();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
}

test.describe('offline learning', { tag: '@phone-only' }, () => {
	test('stored course opens offline, two quizzes answered offline wait in a queue and are recorded once each when back online', async ({ page, context }) => {
		test.setTimeout(120_000);
		const name = 'Hoàng Thị Mây';
		const username = await register(page, name);
		await storeCourse(page);

		// What is stored is the page a visitor sees: not this learner's name or progress.
		const stored = await page.evaluate(async (url) => {
			const hit = await caches.match(url);
			return hit ? hit.text() : '';
		}, app.origin + QUIZ);
		expect(stored).toContain('Bài kiểm tra ngắn');
		expect(stored).toContain('data-who=""');
		expect(stored).not.toContain(name);

		await context.setOffline(true);
		await page.goto(app.origin + QUIZ);
		await expect(page.getByRole('heading', { level: 1, name: 'Bài kiểm tra ngắn' })).toBeVisible();
		await answerShortQuiz(page, false);
		await expect(page).toHaveURL(/\?cho-gui=1$/);
		await expect(page.locator('[data-queue-status]')).toHaveText(/1 bài làm chờ gửi: sẽ tự gửi khi điện thoại có mạng/);
		// A second attempt from the same stored page: a new submission key, so it is a second attempt.
		await page.goto(app.origin + QUIZ);
		await answerShortQuiz(page, true);
		await expect(page.locator('[data-queue-status]')).toHaveText(/2 bài làm chờ gửi/);
		// A page that was not stored: the offline page, listing the stored course.
		await page.goto(`${app.origin}/courses/khoa-mot-bai`);
		await expect(page.getByRole('heading', { level: 1, name: 'Không có mạng' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Khóa kiểm thử học tập' })).toBeVisible();
		expect(await countAttempts(username)).toBe(0);

		const keys = await page.evaluate(async () => {
			const cache = await caches.open('hocso-queue');
			return Promise.all((await cache.keys()).map(async (r) => (await (await cache.match(r))!.json()).fields as [string, string][]));
		});
		expect(keys).toHaveLength(2);

		await context.setOffline(false);
		await page.goto(app.origin + COURSE);
		await expect(page.locator('[data-queue-status]')).toHaveText(/Đã gửi 2 bài làm/);
		expect(await countAttempts(username)).toBe(2);
		await page.locator('[data-queue-status]').getByRole('link', { name: 'Xem kết quả' }).click();
		await expect(page.getByRole('heading', { name: /^Kết quả: 50% · Đạt$/ })).toBeVisible();

		// Sent again (a retry after a lost answer): still recorded once.
		for (const fields of keys) {
			const form = Object.fromEntries(fields.filter(([k]) => k !== '_who'));
			const res = await page.request.post(`${app.origin}${QUIZ}?/quiz`, { form, headers: { Origin: app.origin, Accept: 'text/html' }, maxRedirects: 0 });
			expect(res.status()).toBe(303);
		}
		expect(await countAttempts(username)).toBe(2);
		await page.reload();
		expect(await countAttempts(username)).toBe(2);

		// Logging out leaves nothing of this person on the phone: stored pages, queue and saved list are gone.
		await page.goto(`${app.origin}/account`);
		await page.getByRole('button', { name: 'Đăng xuất' }).click();
		await expect(page).toHaveURL(`${app.origin}/`);
		const left = await page.evaluate(async () => ({ caches: (await caches.keys()).filter((k) => !k.startsWith('hocso-shell-')), saved: localStorage.getItem('hocso-saved') }));
		expect(left).toEqual({ caches: [], saved: null });
	});

	test('a stored course that changed is stored again, one that was removed is deleted', async ({ page }) => {
		await page.goto(app.origin + COURSE);
		await storeCourse(page);
		// As if the course had changed since it was stored, and another stored course had been removed.
		await page.evaluate(async () => {
			const saved = JSON.parse(localStorage.getItem('hocso-saved')!);
			saved['khoa-kiem-thu'].version = 'cu';
			saved['khoa-da-xoa'] = { version: 'x', title: 'Khóa đã xóa', url: '/courses/khoa-da-xoa', bytes: 1 };
			localStorage.setItem('hocso-saved', JSON.stringify(saved));
			await (await caches.open('hocso-course-khoa-da-xoa')).put('/courses/khoa-da-xoa', new Response('cũ'));
		});
		await page.goto(`${app.origin}/courses`);
		await expect
			.poll(() => page.evaluate(async () => ({ saved: Object.keys(JSON.parse(localStorage.getItem('hocso-saved')!)), version: JSON.parse(localStorage.getItem('hocso-saved')!)['khoa-kiem-thu'].version, removed: await caches.has('hocso-course-khoa-da-xoa') })))
			.toEqual({ saved: ['khoa-kiem-thu'], version: expect.stringMatching(/^[0-9a-f]{16,}$/), removed: false });
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });
		test('the course page is as before: no store button', async ({ page }) => {
			await page.goto(app.origin + COURSE);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expect(page.getByRole('button', { name: 'Lưu để học khi không có mạng' })).toBeHidden();
		});
	});
});
