import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { CITIZEN, registerByPost } from './support/people';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loadContent, type Course } from '../../src/lib/server/content/loader';
import { choiceKeys, leftKey } from '../../src/lib/server/content/gift/keys';
import type { GiftQuestion } from '../../src/lib/server/content/gift/types';

const PASSWORD = 'lúa chín vàng đồng';
let counter = 0;
function freshPhone(): string {
	const n = (Date.now() * 13 + counter++ * 7919 + Math.floor(Math.random() * 1000)) % 1e8;
	return `09${String(n).padStart(8, '0')}`;
}

async function register(page: Page, name: string, js: boolean) {
	await page.goto('/register');
	await page.getByLabel('Họ và tên').fill(name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(freshPhone());
	await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	await page.getByRole('radio', { name: 'Người dân' }).check();
	await page.getByLabel('Tìm theo tên').fill('van canh');
	if (!js) {
		await page.getByRole('button', { name: 'Tìm' }).click();
		await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
		await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	}
	await page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' }).check();
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
	await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
	await expect(page).toHaveURL(/\/account/);
}

async function expectNoSideScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
}

/** The real course a learner finishes fastest: fewest questions, then fewest lessons. */
function smallestCourse(): Course {
	const { courses } = loadContent('content');
	const size = (c: Course) => c.lessons.reduce((n, l) => n + l.questions.length, 0) * 10 + c.lessons.length;
	return [...courses].filter((c) => c.lessons.length).sort((a, b) => size(a) - size(b))[0];
}

/** Answers a question rightly, reading the answer key from the course files (the page never has it). */
async function answerRightly(page: Page, q: GiftQuestion) {
	const form = page.locator('form[action="?/quiz"]');
	const field = (suffix = '') => form.locator(`[name="q.${q.id}${suffix}"]`);
	switch (q.type) {
		case 'multichoice': {
			const keys = choiceKeys(q);
			const best = Math.max(...q.choices.map((c) => c.fraction));
			const right = q.single ? [q.choices.findIndex((c) => c.fraction === best)] : q.choices.flatMap((c, i) => (c.fraction > 0 ? [i] : []));
			for (const i of right) await form.locator(`input[name="q.${q.id}"][value="${keys[i]}"]`).check();
			break;
		}
		case 'truefalse':
			await form.locator(`input[name="q.${q.id}"][value="${q.answer}"]`).check();
			break;
		case 'shortanswer': {
			const a = [...q.answers].sort((x, y) => y.fraction - x.fraction)[0];
			// eslint-disable-next-line no-control-regex -- NUL stands in for an escaped star while the others are removed
			await field().fill(a.text.replace(/\\\*/g, '\u0000').replace(/\*/g, '').replace(/\u0000/g, '*'));
			break;
		}
		case 'numerical': {
			const a = [...q.answers].sort((x, y) => y.fraction - x.fraction)[0];
			await field().fill(String(a.kind === 'range' ? a.min : a.value));
			break;
		}
		case 'matching':
			for (const [i, pair] of q.pairs.entries()) await field(`.${leftKey(i)}`).selectOption({ label: pair.right });
			break;
		default:
			break;
	}
}

for (const js of [true, false]) {
	test.describe(`learning journey, JavaScript ${js ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled: js });

		// The journey runs at 360 px only (see the projects' grepInvert in playwright.config.ts).
		test('register, read, fail a quiz, retry and pass, finish a course, open and verify the certificate', { tag: '@phone-only' }, async ({ page, browser }) => {
			test.setTimeout(180_000);
			const name = 'Đinh Thị Hoa';
			await register(page, name, js);
			const course = smallestCourse();
			await page.goto(course.url);
			await page.getByRole('link', { name: 'Bắt đầu học' }).click();

			let failedOnce = false;
			for (const lesson of course.lessons) {
				await expect(page).toHaveURL(new RegExp(`${lesson.url}$`));
				await expect(page.getByRole('heading', { level: 1, name: lesson.title })).toBeVisible();
				const gradable = lesson.questions.filter((q) => q.type !== 'essay' && q.type !== 'description');
				if (!lesson.questions.length) {
					await page.getByRole('button', { name: 'Tôi đã học xong bài này' }).click();
					await expect(page.getByText('Bạn đã học xong bài này.')).toBeVisible();
				} else {
					if (!failedOnce && gradable.length && lesson.passMark > 0) {
						// Sent empty: 0%, not passed; every question says it was not answered.
						await page.getByRole('button', { name: 'Nộp bài' }).click();
						await expect(page.getByRole('heading', { name: /^Kết quả: 0% · Chưa đạt$/ })).toBeVisible();
						await expect(page.getByText('Chưa trả lời').first()).toBeVisible();
						await page.getByRole('link', { name: 'Làm lại' }).click();
						await expect(page.getByRole('heading', { name: /^Kết quả/ })).toHaveCount(0);
						failedOnce = true;
					}
					for (const q of lesson.questions) await answerRightly(page, q);
					await page.getByRole('button', { name: 'Nộp bài' }).click();
					await expect(page.getByRole('heading', { name: /^Kết quả: 100% · Đạt$/ })).toBeVisible();
					await expectNoSideScroll(page);
					// The answers stay as given, with a verdict under each question.
					if (gradable.length) await expect(page.locator('.quiz-q__result--correct .quiz-q__verdict').first()).toHaveText(/^\W*Đúng$/);
				}
				const next = course.lessons[course.lessons.indexOf(lesson) + 1];
				if (next) await page.goto(next.url);
			}
			expect(failedOnce).toBe(true);

			await expect(page.getByRole('heading', { name: 'Bạn đã hoàn thành khóa học!' })).toBeVisible();
			await page.getByRole('link', { name: 'Xem giấy chứng nhận' }).click();
			await expect(page.getByRole('heading', { level: 1, name: 'Giấy chứng nhận hoàn thành khóa học' })).toBeVisible();
			await expect(page.getByText(name, { exact: true })).toBeVisible();
			await expect(page.getByText(course.title, { exact: true })).toBeVisible();
			await expect(page.getByText('Xã Vân Canh')).toBeVisible();
			await expect(page.getByRole('img', { name: /Mã QR/ })).toBeVisible();
			const code = (await page.locator('dd.code').innerText()).trim();
			expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/);
			await expect(page.getByText(new RegExp(`/verify/${code}`))).toBeVisible();
			const certificateUrl = page.url();
			await expectNoSideScroll(page);
			// The printed link is the configured public address, whatever Host the request carried.
			const baseURL = test.info().project.use.baseURL!;
			const forged = await page.request.get(certificateUrl, { headers: { host: 'evil.example' } });
			const forgedHtml = await forged.text();
			expect(forgedHtml).toContain(`${baseURL}/verify/${code}`);
			expect(forgedHtml).not.toContain('evil.example');

			// Printed: one A4 page, without the site's header and footer.
			if (!js) {
				await page.emulateMedia({ media: 'print' });
				await expect(page.locator('.site-header')).toBeHidden();
				await expect(page.locator('.site-footer')).toBeHidden();
				const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
				expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
				await page.emulateMedia({ media: 'screen' });
			}

			// "Khóa học của tôi" lists it as finished with the certificate.
			await page.goto('/my');
			const card = page.locator('.card', { hasText: course.title });
			await expect(card.getByText('✓ Đã hoàn thành')).toBeVisible();
			await expect(card.getByRole('link', { name: 'Xem giấy chứng nhận' })).toBeVisible();
			await expectNoSideScroll(page);

			// Anyone can verify it, typing the code in lower case without hyphens.
			await page.goto('/verify');
			await page.getByLabel('Mã giấy chứng nhận').fill(code.replace(/-/g, '').toLowerCase());
			await page.getByRole('button', { name: 'Kiểm tra' }).click();
			await expect(page).toHaveURL(new RegExp(`/verify/${code}$`));
			await expect(page.getByRole('heading', { name: '✓ Giấy chứng nhận hợp lệ' })).toBeVisible();
			await expect(page.getByText(course.title)).toBeVisible();
			await expect(page.getByText('Đinh T** H**')).toBeVisible();
			await expect(page.getByText(name)).toHaveCount(0);
			await expectNoSideScroll(page);

			await checkOthersCannotSee(browser, certificateUrl, code, js);
		});
	});
}

/** Another learner gets 404 for the certificate (as for a code that does not exist); a visitor is sent to log in. */
async function checkOthersCannotSee(browser: Browser, certificateUrl: string, code: string, js: boolean) {
	const visitor = await browser.newContext({ javaScriptEnabled: js, baseURL: new URL(certificateUrl).origin });
	const p = await visitor.newPage();
	await p.goto(certificateUrl);
	await expect(p).toHaveURL(/\/login\?next=%2Frecords%2F/);
	for (const path of ['/my', '/admin/records']) {
		await p.goto(path);
		await expect(p).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(path).replace(/[/]/g, '\\/')}`));
	}
	await registerByPost(p, { name: 'Lê Văn Nam', phone: freshPhone(), audience: CITIZEN });
	const own = await p.goto(certificateUrl);
	expect(own?.status()).toBe(404);
	const other = await p.goto(`/records/${code.slice(0, -1)}${code.endsWith('2') ? '3' : '2'}`);
	expect(other?.status()).toBe(404);
	await expect(p.getByText('Nguyễn')).toHaveCount(0);
	await p.goto('/my');
	await expect(p.getByText('Bạn chưa bắt đầu khóa học nào.')).toBeVisible();
	const admin = await p.goto('/admin/records');
	expect(admin?.status()).toBe(403);
	await visitor.close();
}

// ---------------------------------------------------------------------------------------------------------------
// Answer keys: the small fixture course (every question type) served by its own app process.

// One run is enough: desktop only (see the projects' grepInvert in playwright.config.ts).
test.describe('answer keys stay on the server', { tag: '@desktop-only' }, () => {
	let app: FixtureApp | undefined;
	let origin = '';

	test.beforeAll(async () => {
		app = await startFixtureApp('keys');
		origin = app.origin;
	});

	test.afterAll(async () => {
		await app?.stop();
	});

	test('no correct answer, credit or feedback in the lesson HTML or its JSON before submitting', async ({ page }) => {
		const { courses } = loadContent('tests/fixtures/content');
		const lessons = courses.flatMap((c) => c.lessons.filter((l) => l.questions.length));
		const types = new Set(lessons.flatMap((l) => l.questions.map((q) => q.type)));
		expect([...types].sort()).toEqual(['description', 'essay', 'matching', 'multichoice', 'numerical', 'shortanswer', 'truefalse']);
		for (const lesson of lessons) {
			const bodies: string[] = [];
			const html = await fetch(origin + lesson.url);
			expect(html.status).toBe(200);
			// Styles name classes such as .quiz-q__feedback: only markup and data matter here.
			bodies.push((await html.text()).replace(/<style[\s\S]*?<\/style>/g, ''));
			// SvelteKit's data endpoint for the same page (what client-side navigation would fetch).
			const data = await fetch(`${origin}${lesson.url}/__data.json`);
			bodies.push(await data.text());
			for (const body of bodies) {
				expect(body).not.toMatch(/PHAN-HOI/);
				expect(body).not.toMatch(/fraction|feedback|"answers?"|"correct"|generalFeedback|otherFeedback/i);
				expect(body).not.toMatch(/%-?\d+%/);
				expect(body).not.toContain('VN*ID');
				expect(body).not.toMatch(/12[.,]5\b/);
				expect(body).not.toMatch(/1\.\.5/);
				// Nothing is chosen in advance.
				expect(body).not.toMatch(/<input[^>]*\bchecked\b/);
				expect(body).not.toMatch(/<option[^>]*value="k[^"]+"[^>]*\bselected\b/);
			}
			// The page does show every question, by its text.
			await page.goto(origin + lesson.url);
			await expect(page.getByRole('heading', { name: 'Kiểm tra nhanh' })).toBeVisible();
		}
		// After submitting, feedback does appear (so the markers above would have been seen).
		const all = lessons.find((l) => l.slug === 'moi-loai-cau-hoi')!;
		await page.goto(origin + all.url);
		await page.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(page.getByText('PHAN-HOI-CHUNG-MOT')).toBeVisible();
	});
});
