import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from './support/axe';

async function findLessonLink(page: Page, withVideo: boolean) {
	await page.goto('/courses');
	const courseUrls = await page.locator('.card h2 a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
	for (const url of courseUrls) {
		await page.goto(url);
		const items = page.locator('.lesson-list li');
		const n = await items.count();
		for (let i = 0; i < n; i++) {
			const text = await items.nth(i).innerText();
			if (text.includes('có video') === withVideo && (withVideo || text.includes('câu hỏi'))) {
				return (await items.nth(i).locator('a').getAttribute('href'))!;
			}
		}
	}
	throw new Error(`no lesson ${withVideo ? 'with' : 'without'} video found`);
}

for (const js of [true, false]) {
	test.describe(`catalog to quiz form, JavaScript ${js ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled: js });

		test('catalog -> course -> lesson -> quiz form', async ({ page }) => {
			await page.goto('/');
			await page.getByRole('link', { name: 'Xem các khóa học' }).first().click();
			await expect(page.getByRole('heading', { level: 1, name: 'Khóa học' })).toBeVisible();

			// Filter by audience with the plain GET form.
			await page.getByLabel('Dành cho').selectOption('civil_servant');
			await page.getByRole('button', { name: 'Lọc' }).click();
			await expect(page).toHaveURL(/doi-tuong=civil_servant/);
			const filtered = await page.locator('.card').count();
			expect(filtered).toBeGreaterThan(0);

			await page.goto('/courses');
			await page.getByRole('link', { name: 'Làm quen điện thoại thông minh' }).click();
			await expect(page.getByRole('heading', { level: 1, name: 'Làm quen điện thoại thông minh' })).toBeVisible();
			await expect(page.getByRole('heading', { name: 'Các bài học' })).toBeVisible();
			await page.getByRole('link', { name: 'Bắt đầu học' }).click();

			await expect(page.getByText(/^Bài 1\/\d+/)).toBeVisible();
			await expect(page.getByRole('heading', { name: 'Kiểm tra nhanh' })).toBeVisible();
			const quiz = page.locator('form[action="?/quiz"]');
			await expect(quiz.locator('fieldset').first()).toBeVisible();
			await expect(quiz.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
			// Every control in the quiz has an accessible name.
			const controls = quiz.locator('input:not([type=hidden]), select');
			const n = await controls.count();
			expect(n).toBeGreaterThan(0);
			for (let i = 0; i < n; i++) expect(await controls.nth(i).evaluate((el) => (el as HTMLInputElement).labels?.length ?? 0)).toBeGreaterThan(0);

			await page.getByRole('link', { name: /Bài sau/ }).click();
			await expect(page.getByText(/^Bài 2\/\d+/)).toBeVisible();
		});
	});
}

test('a text lesson loads neither the framework nor video.js', async ({ page }) => {
	const url = await findLessonLink(page, false);
	const scripts: string[] = [];
	page.on('request', (r) => {
		if (r.resourceType() === 'script' || /\.js(\?|$)/.test(r.url())) scripts.push(new URL(r.url()).pathname);
	});
	await page.goto(url);
	await expect(page.getByRole('heading', { name: 'Kiểm tra nhanh' })).toBeVisible();
	await page.waitForLoadState('networkidle');
	// Only our own small scripts (offline use, reading aloud), never SvelteKit's client or the video player.
	expect(scripts.filter((s) => !/^\/js\/[a-z-]+\.js$/.test(s) && s !== '/service-worker.js')).toEqual([]);
});

test('a video lesson shows the poster, length and size, and loads video.js only when asked', async ({ page }) => {
	const url = await findLessonLink(page, true);
	const scripts: string[] = [];
	page.on('request', (r) => {
		if (r.resourceType() === 'script' || r.resourceType() === 'media') scripts.push(new URL(r.url()).pathname);
	});
	await page.goto(url);
	await page.waitForLoadState('networkidle');
	await expect(page.locator('.lesson-video figcaption')).toContainText(/\(video \d+ phút, \d+,\d MB\)/);
	expect(await page.locator('.lesson-video video').getAttribute('poster')).toMatch(/^\/media\//);
	expect(scripts.some((s) => s.startsWith('/assets/videojs/') || s.startsWith('/media/'))).toBe(false);
	await page.getByRole('button', { name: /^Xem video/ }).click();
	await expect(page.locator('.video-js .vjs-control-bar')).toBeAttached();
	expect(scripts.some((s) => /\/assets\/videojs\/[\d.]+\/video\.core\.min\.js$/.test(s))).toBe(true);
	expect(scripts.some((s) => s.startsWith('/_app/'))).toBe(false);
	// A portrait video fills the width of a phone rather than sitting in a 16:9 box.
	const box = await page.locator('.lesson-video .video-js').boundingBox();
	const main = await page.locator('main').boundingBox();
	if (page.viewportSize()!.width < 500) expect(box!.width).toBeGreaterThan(main!.width - 40);
	expect(box!.height).toBeGreaterThan(box!.width);
	// The player takes over the <track> elements: check the captions menu it built and the served HTML.
	await expect(page.locator('.vjs-subs-caps-button, .vjs-captions-button').first()).toBeAttached();
	const html = await (await page.request.get(url)).text();
	const track = /<track kind="captions" src="([^"]+)" srclang="vi"/.exec(html);
	expect(track).not.toBeNull();
	const vtt = await page.request.get(track![1].replace(/&amp;/g, '&'));
	expect(vtt.ok()).toBe(true);
	expect((await vtt.text()).startsWith('WEBVTT')).toBe(true);
});

test('media are served with long-lived cache headers', async ({ page, request }) => {
	const url = await findLessonLink(page, false);
	await page.goto(url);
	const src = await page.locator('.lesson-body img').first().getAttribute('src');
	expect(src).toMatch(/^\/media\/.+\?v=[0-9a-f]+$/);
	const res = await request.get(src!);
	expect(res.status()).toBe(200);
	expect(res.headers()['cache-control']).toContain('immutable');
	const img = page.locator('.lesson-body img').first();
	expect(await img.getAttribute('alt')).toBeTruthy();
	expect(await img.getAttribute('width')).toMatch(/^\d+$/);
});

test('responses are compressed', async ({ request }) => {
	const res = await request.get('/courses', { headers: { 'Accept-Encoding': 'br, gzip' } });
	expect(['br', 'gzip']).toContain(res.headers()['content-encoding']);
});

test('unknown pages get a Vietnamese 404', async ({ page }) => {
	const res = await page.goto('/courses/khong-co-khoa-nay');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang');
	const res2 = await page.goto('/trang-khong-co');
	expect(res2?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang');
});

test('the accessibility check the specs share finds faults, in the page and in a same-origin frame of it', { tag: '@phone-only' }, async ({ page, baseURL }) => {
	// Two pages at the app's origin, served by the browser itself: a page with three faults and a frame with a fourth.
	const html = (title: string, body: string) => `<!doctype html><html lang="vi"><head><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
	await page.route(`${baseURL}/axe-probe`, (r) =>
		r.fulfill({ contentType: 'text/html', body: html('Thử', '<img src="/favicon.png"><a href="/about"></a><p style="color:#ddd;background:#fff">mờ</p><iframe title="Khung" src="/axe-probe-frame"></iframe>') })
	);
	await page.route(`${baseURL}/axe-probe-frame`, (r) => r.fulfill({ contentType: 'text/html', body: html('Khung', '<button></button>') }));
	await page.goto('/axe-probe');
	await expect(page.frameLocator('iframe').locator('button')).toBeAttached();
	const found = (await axeViolations(page)).map((v) => v.split(' ')[0]).sort();
	expect(found).toEqual(['button-name', 'color-contrast', 'image-alt', 'link-name']);
	// Twice on the same page (axe-core is injected once): the same answer.
	expect((await axeViolations(page)).map((v) => v.split(' ')[0]).sort()).toEqual(found);
});
