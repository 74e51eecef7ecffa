import { expect, test, type BrowserContext } from '@playwright/test';
import { CITIZEN, closeDevicePages, freshPhone, newDevicePage, registerByPost } from './support/people';
import { startFixtureApp } from './support/fixture-app';

// Anonymous lesson pages are rendered once per published version and replayed (src/lib/server/page-cache.ts):
// each response must still carry its own CSP nonce and quiz submission key, and nothing of one reader's may reach
// another.
const LESSON = '/courses/lam-quen-dien-thoai/cham-vuot-va-nut-bam';

const submissionKey = (html: string) => /name="submission" value="([^"]+)"/.exec(html)?.[1];
const nonce = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1];

test.afterEach(closeDevicePages);

test('each anonymous reader gets the same lesson with a submission key and nonce of their own @phone-only', async ({ playwright, baseURL }) => {
	const pages: { html: string; csp: string | undefined; headers: Record<string, string> }[] = [];
	for (let i = 0; i < 3; i++) {
		const ctx = await playwright.request.newContext({ baseURL });
		const r = await ctx.get(LESSON, { headers: { 'accept-encoding': 'identity' } });
		expect(r.status()).toBe(200);
		const body = await r.body();
		pages.push({ html: body.toString('utf8'), csp: r.headers()['content-security-policy'], headers: r.headers() });
		// The length sent is the page's own, stored or not.
		expect(Number(r.headers()['content-length'])).toBe(body.length);
		await ctx.dispose();
	}
	// A stored page is sent with the headers of a rendered one (security headers, CSP, ETag, length), and its own ETag.
	const names = (h: Record<string, string>) => Object.keys(h).filter((n) => n !== 'date').sort();
	expect(names(pages[1].headers)).toEqual(names(pages[0].headers));
	expect(names(pages[2].headers)).toEqual(names(pages[0].headers));
	expect(pages[0].headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin' });
	expect(pages[2].headers['content-security-policy']?.replace(/'nonce-[^']+'/g, '')).toBe(pages[0].headers['content-security-policy']?.replace(/'nonce-[^']+'/g, ''));
	expect(new Set(pages.map((p) => p.headers.etag)).size).toBe(3);
	const keys = pages.map((p) => submissionKey(p.html));
	expect(keys.every(Boolean)).toBe(true);
	expect(new Set(keys).size).toBe(3);
	const nonces = pages.map((p) => nonce(p.csp));
	if (nonces[0]) {
		expect(new Set(nonces).size).toBe(3);
		// A page never carries another response's nonce.
		expect(pages[1].html).not.toContain(nonces[0]);
	}
	// Apart from those values, the pages are the same.
	const normal = (p: (typeof pages)[number]) => p.html.replaceAll(submissionKey(p.html)!, 'KEY').replaceAll(nonce(p.csp) ?? '\u0000', 'NONCE');
	expect(normal(pages[1])).toBe(normal(pages[0]));
	expect(normal(pages[2])).toBe(normal(pages[0]));
});

test('a logged-in learner and a reader with large text get their own page, not the anonymous one @phone-only', async ({ page, playwright, baseURL }) => {
	const anon = await playwright.request.newContext({ baseURL });
	const plain = await (await anon.get(LESSON)).text();
	await anon.dispose();
	expect(plain).not.toMatch(/<html[^>]*class="[^"]*text-lg/);

	// Larger text: the page must say so from the first paint, also when replayed.
	const large = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: 'text_size=lg' } });
	for (let i = 0; i < 2; i++) expect(await (await large.get(LESSON)).text()).toMatch(/<html[^>]*class="[^"]*text-lg/);
	await large.dispose();

	// A learner who registers sees their own page on the same lesson, never the anonymous one.
	await page.goto('/register');
	await page.getByLabel('Họ và tên').fill('Người Đọc Thử');
	await page.getByLabel('Số điện thoại', { exact: true }).fill(`09${String(Date.now()).slice(-8)}`);
	await page.getByLabel('Mật khẩu', { exact: true }).fill('mot hai ba bon nam');
	await page.getByLabel('Nhập lại mật khẩu').fill('mot hai ba bon nam');
	await page.getByRole('radio', { name: 'Người dân' }).check();
	await page.getByLabel('Tìm theo tên').fill('van canh');
	await page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' }).check();
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
	await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
	await expect(page).toHaveURL(/\/account/);
	const anonymousHeader = /href="\/login/;
	expect(plain).toMatch(anonymousHeader);
	await page.goto(LESSON);
	expect(await page.content()).not.toMatch(anonymousHeader);
});

test("the page's data request is never answered with the stored page @phone-only", async ({ playwright, baseURL }) => {
	const ctx = await playwright.request.newContext({ baseURL });
	await ctx.get(LESSON); // stored now
	const data = await ctx.get(`${LESSON}/__data.json`);
	expect(await data.text()).not.toContain('<!doctype html>');
	await ctx.dispose();
});

// A signed-in reader's lesson page is the stored page with their own parts put in (personalLessonPage). It must be
// the page that rendering it for them gives: a cookie the app does not know makes the app render it instead.
const RENDER_COOKIE = 'e2e_render';

/**
 * The page without what differs on every response, the renderer's markers, and white space between tags (the parts
 * put in sit between block elements, where it shows nothing).
 */
const comparable = (html: string) =>
	html
		.replace(/<!--[^]*?-->/g, '')
		.replace(/>\s+</g, '><')
		.replace(/name="submission" value="[^"]+"/, 'name="submission" value="KEY"');

async function storedAndRendered(context: BrowserContext, origin: string, path: string) {
	const stored = await context.request.get(origin + path, { headers: { 'accept-encoding': 'identity' } });
	await context.addCookies([{ name: RENDER_COOKIE, value: '1', url: origin }]);
	const rendered = await context.request.get(origin + path, { headers: { 'accept-encoding': 'identity' } });
	await context.clearCookies({ name: RENDER_COOKIE });
	expect(stored.status()).toBe(200);
	expect(rendered.status()).toBe(200);
	const body = await stored.body();
	expect(Number(stored.headers()['content-length'])).toBe(body.length);
	// Never kept by a shared cache or the back-forward cache, like any page rendered for someone signed in.
	expect(stored.headers()['cache-control']).toBe('private, no-store');
	expect(rendered.headers()['cache-control']).toBe('private, no-store');
	const html = body.toString('utf8');
	const renderedHtml = await rendered.text();
	// Put together, not rendered: the renderer's markers (comments) differ where the parts were put in; two renders
	// of one page differ only in the submission key.
	const withoutKey = (h: string) => h.replace(/name="submission" value="[^"]+"/, 'name="submission" value="KEY"');
	expect(withoutKey(html)).not.toBe(withoutKey(renderedHtml));
	expect(comparable(html)).toBe(comparable(renderedHtml));
	return html;
}

test("a signed-in learner's lesson is the stored page with their header, progress and key, as rendered for them @phone-only", async ({ page, baseURL }) => {
	const origin = baseURL!;
	await registerByPost(page, { name: 'Người Đọc Lại', phone: freshPhone(), audience: CITIZEN, unit: null });
	const context = page.context();
	let html = await storedAndRendered(context, origin, LESSON);
	expect(html).toContain('<a href="/account">Tài khoản</a>');
	expect(html).not.toMatch(/href="\/login/);
	expect(html).toMatch(/data-who="u\d+"/);
	expect(html).not.toContain('Điểm cao nhất');
	const first = submissionKey(html);
	expect(submissionKey(await storedAndRendered(context, origin, LESSON))).not.toBe(first);

	// An attempt not passed: the best score is shown above the quiz, on the stored page as on a rendered one.
	await page.goto(LESSON);
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page).toHaveURL(/lan-lam=\d+/);
	// The result page it leads to: the stored page with the result, the answers with their verdicts, and the page's
	// own address (with its query) for the text size form, as rendered for the learner.
	const resultAt = new URL(page.url());
	const resultPath = resultAt.pathname + resultAt.search;
	html = await storedAndRendered(context, origin, resultPath);
	expect(html).toMatch(/<h2 id="ket-qua-tieu-de"[^>]*>Kết quả: \d+% · Chưa đạt<\/h2>/);
	expect(html).toContain('Chưa trả lời');
	expect(html).toContain(`name="next" value="${resultPath}"`);
	expect(html).not.toContain('Điểm cao nhất');
	// Another learner's attempt is not shown to this one: the lesson as new, as rendered.
	const stranger = await page.context().browser()!.newContext({ baseURL: origin });
	const strangerPage = await stranger.newPage();
	await registerByPost(strangerPage, { name: 'Người Lạ', phone: freshPhone(), audience: CITIZEN, unit: null });
	const strangers = await storedAndRendered(stranger, origin, resultPath);
	expect(strangers).not.toContain('Kết quả:');
	expect(strangers).not.toContain('Chưa trả lời');
	await stranger.close();
	html = await storedAndRendered(context, origin, LESSON);
	expect(html).toMatch(/<p class="notice">Bạn chưa qua bài này\. Điểm cao nhất: \d+%\.<\/p>/);

	// Another reader never gets this learner's parts.
	const anon = await page.context().browser()!.newContext({ baseURL: origin });
	const other = await (await anon.request.get(LESSON)).text();
	await anon.close();
	expect(other).not.toContain('Điểm cao nhất');
	expect(other).toContain('data-who=""');
});

test('a guest and a learner on a lesson without a quiz: read, and where a guest\'s progress is kept @phone-only', async ({ browser }, info) => {
	const app = await startFixtureApp('personal_page');
	try {
		const path = '/courses/khoa-kiem-thu/bai-doc';
		// A visitor who finishes the lesson becomes a guest (a session for their progress, no account).
		const guestPage = await newDevicePage(browser, info, app.origin);
		await guestPage.goto(path);
		await guestPage.getByRole('button', { name: 'Tôi đã học xong bài này' }).click();
		await expect(guestPage.getByText('Bạn đã học xong bài này.')).toBeVisible();
		const guest = await storedAndRendered(guestPage.context(), app.origin, path);
		expect(guest).toContain('✓ Bạn đã học xong bài này.');
		expect(guest).not.toContain('action="?/done"');
		expect(guest).toContain('id="chi-luu-o-may-nay"');
		expect(guest).toMatch(/data-who="g\d+"/);
		expect(guest).toMatch(/href="\/login\?next=/);
		// The guest passes a quiz that completes a course: the result page invites them to register for the record,
		// and the header's links come back to this result.
		const guestQuiz = '/courses/khoa-mot-bai/bai-duy-nhat';
		await guestPage.goto(guestQuiz);
		await guestPage.locator('input[name="q.m-1"][value="true"]').check();
		await guestPage.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(guestPage).toHaveURL(/lan-lam=\d+/);
		const guestResultAt = new URL(guestPage.url());
		const guestResultPath = guestResultAt.pathname + guestResultAt.search;
		const guestResult = await storedAndRendered(guestPage.context(), app.origin, guestResultPath);
		expect(guestResult).toMatch(/Kết quả: 100% · Đạt/);
		expect(guestResult).toContain('Đăng ký hoặc đăng nhập để nhận giấy chứng nhận');
		expect(guestResult).toContain(`href="/login?next=${encodeURIComponent(guestResultPath)}"`);
		expect(guestResult).toContain('id="chi-luu-o-may-nay"');
		await guestPage.context().close();

		const learnerPage = await newDevicePage(browser, info, app.origin);
		await registerByPost(learnerPage, { name: 'Người Đọc Bài', phone: freshPhone(), audience: CITIZEN, unit: null, origin: app.origin });
		let learner = await storedAndRendered(learnerPage.context(), app.origin, path);
		expect(learner).toContain('action="?/done"');
		expect(learner).not.toContain('id="chi-luu-o-may-nay"');
		await learnerPage.goto(path);
		await learnerPage.getByRole('button', { name: 'Tôi đã học xong bài này' }).click();
		await expect(learnerPage.getByText('Bạn đã học xong bài này.')).toBeVisible();
		learner = await storedAndRendered(learnerPage.context(), app.origin, path);
		expect(learner).toContain('✓ Bạn đã học xong bài này.');
		expect(learner).toMatch(/data-who="u\d+"/);

		// A pass that completes a course: its result page shows the record, put together as rendered.
		const onlyLesson = '/courses/khoa-mot-bai/bai-duy-nhat';
		await learnerPage.goto(onlyLesson);
		await learnerPage.locator('input[name="q.m-1"][value="true"]').check();
		await learnerPage.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(learnerPage.getByRole('heading', { name: 'Bạn đã hoàn thành khóa học!' })).toBeVisible();
		const passedAt = new URL(learnerPage.url());
		const passed = await storedAndRendered(learnerPage.context(), app.origin, passedAt.pathname + passedAt.search);
		expect(passed).toMatch(/Kết quả: 100% · Đạt/);
		expect(passed).toMatch(/<a class="btn[^"]*" href="\/records\/[^"]+">Xem giấy chứng nhận<\/a>/);
		expect(passed).toContain('✓ Bạn đã qua bài này. Điểm cao nhất: 100%.');
		await learnerPage.context().close();
	} finally {
		await app.stop();
	}
});
