// Officials' statistics: an official of a commune sets a target, a villager registered in a hamlet of that commune
// finishes the course, and the dashboard and its CSV export show the learner at once. On the fixture courses and a
// database of this file's own.
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import {
	addHamlet,
	closeDevicePages,
	CITIZEN,
	COMMUNE_CODE,
	COMMUNE_LABEL,
	expectNoAxeViolations,
	expectNoSideScroll,
	freshPhone,
	grantRole,
	myUnitId,
	newDevicePage,
	registerByPost,
	vietnamYear
} from './support/people';
import { expect, test, type BrowserContextOptions } from '@playwright/test';

test.describe('officials: targets and dashboards', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let officialState: BrowserContextOptions['storageState'];
	let communeId = 0;
	let hamletName = '';

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(240_000);
		app = await startFixtureApp(`stats_${info.project.name}`);
		origin = app.origin;
		// The official: an account registered in the app, made official of the commune from the shell; they add a
		// hamlet on the commune's page.
		const page = await newDevicePage(browser, info, origin);
		const phone = freshPhone();
		await registerByPost(page, { name: 'Đinh Thị Cán', phone });
		await grantRole(app.dbUrl, phone, 'official', COMMUNE_CODE);
		communeId = await myUnitId(page, COMMUNE_LABEL);
		const bare = `Thử ${info.project.name === 'phone' ? 'Một' : 'Hai'}`;
		hamletName = `Thôn ${bare}`;
		await addHamlet(page, communeId, 'thôn', bare);
		officialState = await page.context().storageState();
		await page.context().close();
	});

	test.afterEach(closeDevicePages);

	test.afterAll(async () => {
		await app?.stop();
	});

	test('an official sets a target for the commune; a villager of a hamlet below finishes the course; the dashboard and the CSV show it', async ({
		browser
	}, info) => {
		const official = await newDevicePage(browser, info, origin, officialState);
		await official.goto(`/don-vi/${communeId}/chi-tieu`);
		await expect(official.getByRole('heading', { level: 1, name: 'Chỉ tiêu đào tạo: Xã Vân Canh' })).toBeVisible();
		await expectNoSideScroll(official);
		await expectNoAxeViolations(official);

		// A bad goal is refused and what was typed stays.
		const year = vietnamYear();
		await official.getByLabel('Tên chỉ tiêu (không bắt buộc)').fill('Người dân học xong Khóa một bài');
		await official.getByLabel('Khóa học hoặc chương trình').selectOption({ label: 'Khóa một bài' });
		await official.getByLabel('Đối tượng').selectOption({ label: 'Người dân' });
		await official.getByLabel('Từ ngày').fill(`${year}-01-01`);
		await official.getByLabel('Đến ngày').fill(`${year}-12-31`);
		await official.getByLabel('Số người', { exact: true }).fill('mười');
		await official.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
		await expect(official.getByRole('alert')).toHaveText('Hãy nhập số người học cần đạt, một số nguyên lớn hơn 0.');
		await expect(official.getByLabel('Tên chỉ tiêu (không bắt buộc)')).toHaveValue('Người dân học xong Khóa một bài');
		await official.getByLabel('Số người', { exact: true }).fill('4');
		await official.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
		await expect(official.getByRole('status')).toHaveText('Đã đặt chỉ tiêu.');
		await expect(official.getByRole('heading', { level: 1, name: 'Người dân học xong Khóa một bài' })).toBeVisible();
		await expect(official.getByText('Đã đạt 0 / 4 người (0 %)')).toBeVisible();
		await expectNoAxeViolations(official);

		// A villager registers in the hamlet and finishes the one-question course.
		const learner = await newDevicePage(browser, info, origin);
		await registerByPost(learner, { name: 'Y Blông', phone: freshPhone(), audience: CITIZEN, unit: { query: hamletName, label: `${hamletName}, xã Vân Canh` } });
		await learner.goto('/courses/khoa-mot-bai/bai-duy-nhat');
		await learner.getByRole('radio', { name: 'Đúng' }).check();
		await learner.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(learner.getByRole('heading', { name: /^Kết quả: 100% · Đạt$/ })).toBeVisible();

		// The dashboard counts the learner at once: the target, the hamlet row, this week.
		await official.goto(`/don-vi/${communeId}/thong-ke`);
		await expect(official.getByRole('heading', { level: 1, name: 'Thống kê đào tạo: Xã Vân Canh' })).toBeVisible();
		const card = official.locator('.card', { hasText: 'Người dân học xong Khóa một bài' });
		await expect(card).toContainText('1 / 4 người (25 %)');
		const units = official.getByRole('table').filter({ has: official.getByRole('columnheader', { name: 'Hạng' }) });
		const row = units.getByRole('row').filter({ hasText: hamletName });
		await expect(row.getByRole('cell').nth(1)).toHaveText('1');
		await expect(official.getByRole('img', { name: /Biểu đồ số người học đạt theo tuần/ })).toBeVisible();
		await expectNoSideScroll(official);
		await expectNoAxeViolations(official);

		// The CSV of the units table is that table: same header, same rows, UTF-8 with a byte order mark.
		const href = await official.locator('#bang-don-vi').locator('..').getByRole('link', { name: 'CSV' }).getAttribute('href');
		const res = await official.request.get(href!);
		expect(res.status()).toBe(200);
		expect(res.headers()['content-type']).toContain('text/csv');
		const bytes = await res.body();
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
		const header = await units.getByRole('columnheader').allInnerTexts();
		expect(lines[1]).toBe(header.map((h) => h.trim()).join(','));
		const screenRows = await units.locator('tbody tr').count();
		expect(lines.length - 2).toBe(screenRows);
		expect(lines.find((l) => l.includes(hamletName))).toMatch(new RegExp(`^\\d+,${hamletName},1,0,`));
		const xlsx = await official.request.get(href!.replace('dinh_dang=csv', 'dinh_dang=xlsx'));
		expect(xlsx.status()).toBe(200);
		expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

		// Drilling down to the hamlet shows the same learner there.
		await row.getByRole('link', { name: hamletName }).click();
		await expect(official.getByRole('heading', { level: 1, name: `Thống kê đào tạo: ${hamletName}` })).toBeVisible();
		await expect(official.getByText(/^1 người học đạt Khóa một bài/)).toBeVisible();

		// The learner is no official: their own commune's dashboard and its export are forbidden.
		expect((await learner.goto(`/don-vi/${communeId}/thong-ke`))?.status()).toBe(403);
		expect((await learner.request.get(href!)).status()).toBe(403);
		const post = await learner.request.post(`/don-vi/${communeId}/chi-tieu?/create`, { form: { subject: 'course:1', goal_kind: 'count', goal_count: '1' }, headers: { origin } });
		expect(post.status()).toBe(403);
	});
});
