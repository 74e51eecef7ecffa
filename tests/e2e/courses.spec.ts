import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { loadContent } from '../../src/lib/server/content/loader';

// Walks every lesson of every course on a phone-sized screen: no console errors, no broken images or media,
// no axe violations against WCAG 2.2 A/AA. One test per course (the courses read from content/ when the file is
// collected), run side by side on the suite's workers; the catalog test checks that the catalog lists exactly
// these courses, so none is left out.
test.describe.configure({ mode: 'parallel' });

const { courses } = loadContent('content');

/** Collects console errors, page errors and failed responses of the page. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
	page.on('response', (r) => {
		if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
	});
	return errors;
}

async function axe(page: Page, what: string) {
	const found = (await axeViolations(page)).map((v) => `${what}: ${v}`);
	expect(found, found.join('\n')).toEqual([]);
}

test('the catalog lists every course of content/ (at least 7, with at least 49 lessons) and is clean at 360 px', async ({ page }) => {
	const errors = watchErrors(page);
	await page.goto('/courses');
	await axe(page, '/courses');
	const listed = await page.locator('.card h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
	expect(listed.length).toBeGreaterThanOrEqual(7);
	// The tests below walk the courses of content/: they are the catalog's, no more, no fewer.
	expect([...listed].sort()).toEqual(courses.map((c) => c.url).sort());
	expect(courses.reduce((n, c) => n + c.lessons.length, 0)).toBeGreaterThanOrEqual(49);
	expect(errors).toEqual([]);
});

for (const course of courses) {
	test(`${course.url}: the course and each of its lessons are clean at 360 px`, async ({ page, request }) => {
		test.setTimeout(5 * 60_000);
		const errors = watchErrors(page);
		const courseUrl = course.url;
		await page.goto(courseUrl);
		await axe(page, courseUrl);
		// Every course names its learner group in Decision 757/QĐ-BKHCN's basic digital skills framework.
		const qd757 = page.getByText('Khung kiến thức, kỹ năng số cơ bản (Quyết định 757/QĐ-BKHCN), nhóm người học:');
		await expect(qd757, courseUrl).toBeVisible();
		await expect(qd757.locator('+ ul.tags li').first(), courseUrl).toHaveText(/^(Người dân|Cán bộ, công chức, viên chức)/);
		const lessons = await page.locator('.lesson-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		expect(lessons.length, courseUrl).toBeGreaterThanOrEqual(4);
		// The page lists the lessons of content/ (whose count the catalog test sums).
		expect(lessons, courseUrl).toEqual(course.lessons.map((l) => l.url));

		const checkedMedia = new Set<string>();
		for (const url of lessons) {
			await page.goto(url);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expect(page.getByRole('heading', { name: 'Kiểm tra nhanh' }), `${url} has a quiz`).toBeVisible();
			await axe(page, url);

			// Every image has alt text and its file is served; images load lazily, so fetch them directly.
			const images = await page.locator('main img').evaluateAll((imgs) => imgs.filter((i) => !i.closest('.video-js')).map((i) => ({ src: i.getAttribute('src')!, alt: i.getAttribute('alt') })));
			expect(images.length, `${url} has at least one picture`).toBeGreaterThan(0);
			const html = await (await request.get(url)).text();
			const media = [...html.matchAll(/(?:src|poster)="(\/media\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
			for (const img of images) expect(img.alt?.trim(), `${url} ${img.src}`).toBeTruthy();
			for (const src of media) {
				if (checkedMedia.has(src)) continue;
				checkedMedia.add(src);
				const res = await request.get(src);
				expect(res.status(), src).toBe(200);
				expect((await res.body()).length, src).toBeGreaterThan(0);
			}
			// Images that scrolled into view really decoded: those in view still loading are waited for until they
			// load or fail (the video player's own are not: they load when it is asked for).
			await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
			const broken = await page.locator('main img').evaluateAll(async (elements) => {
				const imgs = elements as HTMLImageElement[];
				const loading = imgs.filter((i) => {
					const r = i.getBoundingClientRect();
					return !i.complete && !i.closest('.video-js') && r.bottom >= 0 && r.top <= window.innerHeight;
				});
				const settled = (i: HTMLImageElement) =>
					new Promise((settle) => {
						i.addEventListener('load', settle, { once: true });
						i.addEventListener('error', settle, { once: true });
					});
				await Promise.all(loading.map(settled));
				return imgs.filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.getAttribute('src'));
			});
			expect(broken, url).toEqual([]);
		}
		expect(errors).toEqual([]);
	});
}
