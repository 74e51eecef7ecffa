// Page weight budgets and accessibility of every page type. Bytes on the wire are deterministic for a given
// build, so they are asserted here; timings are not (they are measured by `npm run bench:lighthouse`).
import { axeViolations } from './support/axe';
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { CITIZEN, registerByPost } from './support/people';
import { loadContent } from '../../src/lib/server/content/loader';

/** First view of a page that must open in one round trip on 3G: compressed HTML+CSS+JS, headers included. */
const LIGHT_PAGE = 14 * 1024;
/** Pages with more on them (a learner's own courses, a certificate with its QR code). */
const HEAVY_PAGE = 50 * 1024;

/** Headless Chromium has no voices: this gives it a Vietnamese one (that never speaks). */
const VIETNAMESE_VOICE = `(() => {
	const voices = [{ name: 'Tiếng Việt', lang: 'vi-VN', voiceURI: 'vi-VN', default: true, localService: true }];
	const synth = { getVoices: () => voices, addEventListener() {}, removeEventListener() {}, speak() {}, cancel() {}, pause() {}, resume() {} };
	Object.defineProperty(window, 'speechSynthesis', { value: synth });
})();`;

interface Weight {
	bytes: number;
	requests: number;
	byType: Record<string, number>;
	scripts: string[];
}

/**
 * Loads `url` in a fresh context (cold cache; `storageState` carries a session when given), waits until the network
 * has been quiet, so scripts loaded after the load event count too, and sums what HTML, CSS and JS cost on the wire.
 */
async function weigh(browser: Browser, url: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<Weight> {
	const context = await browser.newContext({ viewport: { width: 360, height: 800 }, storageState });
	// As on a phone with a Vietnamese voice: the read-aloud code is loaded, so it counts.
	await context.addInitScript(VIETNAMESE_VOICE);
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	const types = new Map<string, string>();
	const byType: Record<string, number> = { Document: 0, Stylesheet: 0, Script: 0 };
	let requests = 0;
	const scripts: string[] = [];
	cdp.on('Network.responseReceived', (e) => {
		types.set(e.requestId, e.type);
		if (e.type === 'Script') scripts.push(new URL(e.response.url).pathname);
	});
	cdp.on('Network.loadingFinished', (e) => {
		requests++;
		const type = types.get(e.requestId) ?? 'Other';
		byType[type] = (byType[type] ?? 0) + e.encodedDataLength;
	});
	const res = await page.goto(url, { waitUntil: 'networkidle' });
	expect(res?.status(), url).toBe(200);
	await context.close();
	return { bytes: byType.Document + byType.Stylesheet + byType.Script, requests, byType, scripts };
}

/** A new 360 px context on the page: what axe finds there, each line naming the page. */
async function axeViolationsOf(browser: Browser, url: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>) {
	const context = await browser.newContext({ viewport: { width: 360, height: 800 }, storageState });
	const page = await context.newPage();
	await page.goto(url);
	const found = await axeViolations(page);
	await context.close();
	return found.map((v) => `${url}: ${v}`);
}

/** A text lesson with a quiz and a lesson with a video, from the real courses. */
function realLessons() {
	const { courses } = loadContent('content');
	const lessons = courses.flatMap((c) => c.lessons);
	const text = lessons.find((l) => l.questions.length && !l.hasVideo);
	const video = lessons.find((l) => l.hasVideo);
	const practice = lessons.find((l) => l.practices.length);
	return { course: courses[0].url, text: text!.url, video: video!.url, practice: practice && `${practice.url}/thuc-hanh/${practice.practices[0].id}` };
}

/** The public page types, each weighed and checked by a test of its own. */
const PUBLIC_PAGES: [name: string, path: string | null][] = (() => {
	const lessons = realLessons();
	return [
		['home', '/'],
		['catalog', '/courses'],
		['course', lessons.course],
		['text lesson', lessons.text],
		['video lesson', lessons.video],
		// A quiz result: an empty answer sheet sent by a visitor is a result page of its own (made by its test).
		['quiz result', null],
		['login', '/login'],
		['register', '/register'],
		['verify', '/verify'],
		// A practice's first step with the script that plays it (and the steps it loads as JSON).
		...(lessons.practice ? [['practice step', lessons.practice] as [string, string]] : [])
	];
})();

test.describe('page budgets and axe', { tag: '@phone-only' }, () => {
	// The pages are independent: their tests run side by side on the suite's workers.
	test.describe.configure({ mode: 'parallel' });

	for (const [name, fixedPath] of PUBLIC_PAGES) {
		test(`public page, ${name}: at most 14 KB of HTML+CSS+JS on first view, and no axe violation`, async ({ browser, baseURL, page }) => {
			let path = fixedPath;
			let state: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
			if (path === null) {
				await page.goto(realLessons().text);
				await page.getByRole('button', { name: 'Nộp bài' }).click();
				await expect(page.getByRole('heading', { name: /^Kết quả:/ })).toBeVisible();
				const resultUrl = new URL(page.url());
				resultUrl.hash = '';
				path = resultUrl.pathname + resultUrl.search;
				state = await page.context().storageState();
			}
			const w = await weigh(browser, baseURL + path, state);
			test.info().annotations.push({ type: 'bytes', description: `${name} ${path}: ${w.bytes} B in ${w.requests} requests` });
			expect(w.bytes, `${name} (${path}): ${w.bytes} B > ${LIGHT_PAGE} B ${JSON.stringify(w.byType)}`).toBeLessThanOrEqual(LIGHT_PAGE);
			// The code that matters on these pages was in the count: reading aloud on lessons, storing on a course.
			if (name.includes('lesson') || name === 'quiz result') expect(w.scripts, name).toContain('/js/read-aloud.js');
			if (name === 'course') expect(w.scripts, name).toContain('/js/offline.js');
			if (name === 'practice step') expect(w.scripts, name).toContain('/js/practice.js');
			expect(await axeViolationsOf(browser, baseURL + path, state)).toEqual([]);
		});
	}

	test.describe('learner pages', () => {
		let app: FixtureApp;
		test.beforeAll(async () => {
			app = await startFixtureApp('budgets');
		});
		test.afterAll(async () => {
			await app?.stop();
		});

		test('dashboard and certificate: at most 50 KB on first view, and no axe violation', async ({ browser }) => {
			test.setTimeout(120_000);
			const context = await browser.newContext({ baseURL: app.origin });
			const page = await context.newPage();
			await registerByPost(page, { name: 'Lò Văn Cân', username: `can.${Date.now() % 1e6}`, audience: CITIZEN, unit: null });
			// The one-lesson course: one true/false question whose answer is "true".
			await page.goto('/courses/khoa-mot-bai/bai-duy-nhat');
			await page.locator('input[name="q.m-1"][value="true"]').check();
			await page.getByRole('button', { name: 'Nộp bài' }).click();
			await page.getByRole('link', { name: 'Xem giấy chứng nhận' }).click();
			await expect(page.getByRole('heading', { level: 1, name: 'Giấy chứng nhận hoàn thành khóa học' })).toBeVisible();
			const certificate = new URL(page.url()).pathname;
			const learner = await context.storageState();
			await context.close();

			const over: string[] = [];
			const violations: string[] = [];
			for (const [name, path] of [
				['dashboard', '/my'],
				['account', '/account'],
				['certificate', certificate]
			]) {
				const w = await weigh(browser, app.origin + path, learner);
				test.info().annotations.push({ type: 'bytes', description: `${name} ${path}: ${w.bytes} B in ${w.requests} requests` });
				if (w.bytes > HEAVY_PAGE) over.push(`${name} (${path}): ${w.bytes} B > ${HEAVY_PAGE} B ${JSON.stringify(w.byType)}`);
				violations.push(...(await axeViolationsOf(browser, app.origin + path, learner)));
			}
			expect(over).toEqual([]);
			expect(violations).toEqual([]);
		});
	});
});
