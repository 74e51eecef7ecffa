// Reading aloud. Headless Chromium has no voices, so the browser's speech engine is replaced by a recording one
// (an init script) that says which voices exist and starts and ends utterances when the test says so; the page's
// own code (/js/read-aloud.js) is what is tested: voice choice, order, highlighting, speed, stop.
import { expect, test, type Page } from '@playwright/test';
import { loadContent } from '../../src/lib/server/content/loader';

function fakeSpeech(langs: string[]) {
	return `(() => {
		const voices = ${JSON.stringify(langs)}.map((lang) => ({ name: 'Giọng ' + lang, lang, voiceURI: lang, default: true, localService: true }));
		const spoken = [];
		let current = null;
		const queue = [];
		const next = () => {
			current = queue.shift() || null;
			if (current) setTimeout(() => current && current.onstart && current.onstart(), 0);
		};
		const synth = {
			speaking: false, pending: false, paused: false,
			getVoices: () => voices,
			addEventListener() {}, removeEventListener() {},
			speak(u) { spoken.push({ text: u.text, rate: u.rate, lang: u.lang }); queue.push(u); if (!current) next(); },
			cancel() { queue.length = 0; current = null; },
			pause() { this.paused = true; }, resume() { this.paused = false; }
		};
		Object.defineProperty(window, 'speechSynthesis', { value: synth });
		window.SpeechSynthesisUtterance = function (text) { this.text = text; };
		window.__speech = { spoken, end() { const u = current; next(); u && u.onend && u.onend(); } };
	})();`;
}

interface FakeSpeech {
	spoken: { text: string; rate: number; lang: string }[];
	end(): void;
}
const highlighted = (page: Page) =>
	page.evaluate(() => {
		const h = CSS.highlights.get('doc-to');
		return h ? [...h][0].toString().replace(/\s+/g, ' ').trim() : null;
	});
const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __speech: FakeSpeech }).__speech.spoken);

function textLesson() {
	return loadContent('content').courses.flatMap((c) => c.lessons).find((l) => l.questions.length && !l.hasVideo)!;
}

test.describe('reading aloud', () => {
	test('with a Vietnamese voice: reads the lesson in order, highlights the sentence being read, changes speed, stops', async ({ page }) => {
		await page.addInitScript(fakeSpeech(['en-US', 'vi-VN']));
		await page.goto(textLesson().url);
		const bar = page.locator('.lesson-body .doc-to-bar');
		await bar.getByRole('button', { name: 'Đọc to bài học' }).click();
		await expect.poll(() => spoken(page).then((s) => s.length)).toBe(1);
		const [first] = await spoken(page);
		expect(first.lang).toBe('vi-VN');
		await expect.poll(() => highlighted(page)).toBe(first.text);
		await page.evaluate(() => (window as unknown as { __speech: FakeSpeech }).__speech.end());
		await expect.poll(() => spoken(page).then((s) => s.length)).toBe(2);
		const second = (await spoken(page))[1];
		await expect.poll(() => highlighted(page)).toBe(second.text);
		// In the order of the page.
		const body = (await page.locator('.lesson-body').innerText()).replace(/\s+/g, ' ');
		expect(body.indexOf(second.text)).toBeGreaterThan(body.indexOf(first.text));
		expect(body.indexOf(first.text)).toBeGreaterThanOrEqual(0);

		await bar.getByLabel('Tốc độ').selectOption({ label: 'Chậm' });
		await page.evaluate(() => (window as unknown as { __speech: FakeSpeech }).__speech.end());
		await expect.poll(() => spoken(page).then((s) => s.at(-1)!.rate)).toBe(0.75);

		await bar.getByRole('button', { name: '⏹ Dừng' }).click();
		await expect.poll(() => highlighted(page)).toBeNull();
		await expect(bar.getByRole('button', { name: 'Đọc to bài học' })).toBeVisible();
	});

	test('a quiz question is read with its answers', async ({ page }) => {
		await page.addInitScript(fakeSpeech(['vi-VN']));
		await page.goto(textLesson().url);
		await page.getByRole('button', { name: 'Đọc to câu 1' }).click();
		await expect.poll(() => spoken(page).then((s) => s.length)).toBeGreaterThan(0);
		const question = (await page.locator('fieldset.quiz-q').first().locator('legend').innerText()).replace(/\s+/g, ' ');
		expect(question).toContain((await spoken(page))[0].text.slice(0, 10));
	});

	test('without a Vietnamese voice nothing is offered', async ({ page }) => {
		// The voice list may arrive late: the page waits 2 s for it. The page's clock is moved on past that rather
		// than waited for.
		await page.clock.install();
		await page.addInitScript(fakeSpeech(['en-US']));
		await page.goto(textLesson().url);
		await page.waitForLoadState('networkidle');
		await page.clock.runFor(2500);
		await expect(page.locator('.doc-to-bar')).toHaveCount(0);
	});

	test('larger text also enlarges the words inside lesson pictures', { tag: '@phone-only' }, async ({ page }) => {
		const lesson = loadContent('content').courses.flatMap((c) => c.lessons).find((l) => l.html.includes('class="lesson-figure"'))!;
		await page.goto(lesson.url);
		const before = (await page.locator('.lesson-figure img').first().boundingBox())!.width;
		await page.getByRole('button', { name: 'Chữ to' }).click();
		await page.goto(lesson.url);
		const after = (await page.locator('.lesson-figure img').first().boundingBox())!.width;
		expect(after).toBeGreaterThanOrEqual(before * 1.4);
		// The page itself does not scroll sideways: the picture scrolls inside its frame.
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});
});
