// Trainers' analytics: five learners of a commune take a quiz in the browser, and the commune's trainer reads the
// funnel and the question figures of the course, phone and desk, without JavaScript, axe clean. On the fixture
// courses and a database of this file's own.
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { CITIZEN, closeDevicePages, COMMUNE_CODE, expectReadable, freshPhone, grantRole, newDevicePage, registerByPost } from './support/people';
import { expect, test, type BrowserContextOptions } from '@playwright/test';

test.describe('trainers: course analytics', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let trainerState: BrowserContextOptions['storageState'];

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(300_000);
		app = await startFixtureApp(`analytics_${info.project.name}`);
		origin = app.origin;
		const page = await newDevicePage(browser, info, origin);
		const phone = freshPhone();
		await registerByPost(page, { name: 'Giảng viên Hà', phone });
		await grantRole(app.dbUrl, phone, 'trainer', COMMUNE_CODE);
		trainerState = await page.context().storageState();
		await page.context().close();

		// Five villagers of the commune open the short quiz and answer it: three all right, one all wrong, one half.
		const answers: ['Đúng' | 'Sai', 'Cài đặt' | 'Danh bạ'][] = [
			['Đúng', 'Cài đặt'],
			['Đúng', 'Cài đặt'],
			['Đúng', 'Cài đặt'],
			['Sai', 'Danh bạ'],
			['Đúng', 'Danh bạ']
		];
		for (const [i, [a, b]] of answers.entries()) {
			const learner = await newDevicePage(browser, info, origin);
			await registerByPost(learner, { name: `Người học ${i + 1}`, phone: freshPhone(), audience: CITIZEN });
			await learner.goto('/courses/khoa-kiem-thu/bai-kiem-tra');
			await learner.getByRole('radio', { name: a, exact: true }).check();
			await learner.getByRole('radio', { name: b, exact: true }).check();
			await learner.getByRole('button', { name: 'Nộp bài' }).click();
			await expect(learner.getByRole('heading', { name: /^Kết quả:/ })).toBeVisible();
			await learner.context().close();
		}
	});

	test.afterEach(closeDevicePages);

	test.afterAll(async () => {
		await app?.stop();
	});

	test('the trainer sees the funnel and the question figures of the commune, and no other unit', async ({ browser }, info) => {
		const trainer = await newDevicePage(browser, info, origin, trainerState);
		await trainer.goto('/');
		await trainer.getByRole('link', { name: 'Phân tích', exact: true }).click();
		await expect(trainer.getByRole('heading', { level: 1, name: 'Phân tích khóa học' })).toBeVisible();
		await trainer.getByRole('link', { name: 'Khóa kiểm thử học tập' }).click();
		await expect(trainer.getByRole('heading', { level: 1, name: 'Phân tích: Khóa kiểm thử học tập' })).toBeVisible();
		await expect(trainer.getByText(/Người học thuộc Xã Vân Canh/)).toBeVisible();

		// The funnel: five started and read, four passed (pass mark 50 %).
		const funnel = trainer.locator('#bang-pheu').locator('..').getByRole('table');
		const row = funnel.getByRole('row').filter({ hasText: 'Bài kiểm tra ngắn' });
		await expect(row.getByRole('cell')).toHaveText(['5', '5', '4', '0', 'dưới 1 phút', '5']);
		await expect(trainer.getByRole('list', { name: /Biểu đồ số người học theo bài/ })).toBeVisible();

		// The question on settings: three of five right, "Danh bạ" the wrong answer of two.
		const questions = trainer.locator('#bang-cau-hoi').locator('..').getByRole('table');
		const q = questions.getByRole('row').filter({ hasText: 'Cỡ chữ chỉnh ở đâu?' });
		await expect(q.getByRole('cell').nth(1)).toHaveText('5');
		await expect(q.getByRole('cell').nth(2)).toHaveText('60 %');
		await expect(q.getByRole('cell').nth(4)).toHaveText('Danh bạ (2)');

		await expectReadable(trainer);
		await trainer.screenshot({ path: `reports/analytics-${info.project.name}.png`, fullPage: true });
		await trainer.screenshot({ path: `reports/analytics-${info.project.name}-top.png` });
		await questions.screenshot({ path: `reports/analytics-${info.project.name}-questions.png` });

		// The CSV of the questions table is UTF-8 with a byte order mark and holds the same figures.
		const href = await trainer.locator('#bang-cau-hoi').locator('..').getByRole('link', { name: 'CSV' }).getAttribute('href');
		const res = await trainer.request.get(href!);
		expect(res.status()).toBe(200);
		const body = await res.body();
		expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(body.toString('utf8')).toContain('Cỡ chữ chỉnh ở đâu?,5,60 %');

		// Another commune is out of the trainer's scope: refused.
		const url = new URL(trainer.url());
		const other = await trainer.request.get(`/api/units?q=${encodeURIComponent('quy nhon')}`);
		const { units } = (await other.json()) as { units: { id: number; label: string }[] };
		const quyNhon = units.find((u) => u.label.startsWith('Phường Quy Nhơn'));
		expect(quyNhon).toBeDefined();
		url.searchParams.set('don_vi', String(quyNhon!.id));
		const refused = await trainer.goto(url.toString());
		expect(refused?.status()).toBe(403);
	});
});
