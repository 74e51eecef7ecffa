// Officials' statistics: an official of a commune sets a target, a villager registered in a hamlet of that commune
// finishes the course, and the dashboard and its CSV export show the learner at once. On the fixture courses and a
// database of this file's own.
import { spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import pg from 'pg';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { expect, test, type Browser, type BrowserContextOptions, type Page, type TestInfo } from '@playwright/test';

const PASSWORD = 'lúa chín vàng đồng';

let counter = 0;
function freshPhone(): string {
	const n = (Date.now() * 13 + counter++ * 7919 + Math.floor(Math.random() * 1000)) % 1e8;
	return `09${String(n).padStart(8, '0')}`;
}

function vietnamYear(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

async function register(page: Page, o: { name: string; phone: string; audience: string; unitQuery: string; unit: string }) {
	await page.goto('/register');
	await page.getByLabel('Họ và tên').fill(o.name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(o.phone);
	await page.getByRole('radio', { name: o.audience }).check();
	await page.getByLabel('Tìm theo tên').fill(o.unitQuery);
	await page.getByRole('button', { name: 'Tìm' }).click();
	await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	await page.getByRole('radio', { name: o.unit }).check();
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
	await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
	await expect(page).toHaveURL(/\/account\?welcome=1$/);
}

async function expectNoSideScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
}

async function expectNoAxeViolations(page: Page) {
	const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe('officials: targets and dashboards', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let officialState: BrowserContextOptions['storageState'];
	let communeId = 0;
	let hamletName = '';

	async function newPage(browser: Browser, info: TestInfo, storageState?: BrowserContextOptions['storageState']): Promise<Page> {
		const { viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = info.project.use;
		const context = await browser.newContext({ viewport, userAgent, isMobile, hasTouch, deviceScaleFactor, baseURL: origin, storageState });
		return context.newPage();
	}

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(240_000);
		app = await startFixtureApp(`stats_${info.project.name}`);
		origin = app.origin;
		const client = new pg.Client({ connectionString: app.dbUrl });
		await client.connect();
		try {
			// A hamlet of xã Vân Canh, added as the hamlet pages do: a unit row and its place in unit_scope.
			communeId = (await client.query(`select id from unit where code = '21994' and valid_to is null`)).rows[0].id;
			hamletName = `Thôn Thử ${info.project.name === 'phone' ? 'Một' : 'Hai'}`;
			const bare = hamletName.replace('Thôn ', '');
			const key = ` thon ${bare.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').toLowerCase()}`;
			const { rows } = await client.query(
				`insert into unit (code, name, level, type, parent_id, search_key) values ($1, $2, 'hamlet', 'thôn', $3, $4) returning id`,
				[`21994-${info.project.name}`, bare, communeId, key]
			);
			const hamlet = rows[0].id;
			await client.query(`insert into unit_scope (ancestor_id, unit_id, depth, partial) select ancestor_id, $1, depth + 1, partial from unit_scope where unit_id = $2`, [hamlet, communeId]);
			await client.query(`insert into unit_scope (ancestor_id, unit_id, depth, partial) values ($1, $1, 0, false)`, [hamlet]);
		} finally {
			await client.end();
		}

		// The official: an account registered in the app, made official of the commune from the shell.
		const page = await newPage(browser, info);
		const phone = freshPhone();
		await register(page, { name: 'Đinh Thị Cán', phone, audience: 'Cán bộ, công chức, viên chức', unitQuery: 'van canh', unit: 'Xã Vân Canh, tỉnh Gia Lai' });
		const grant = await run('npm', ['run', '--silent', 'user:grant', '--', phone, 'official', '21994'], { ...process.env, DATABASE_URL: app.dbUrl });
		expect(grant.code, grant.stderr).toBe(0);
		officialState = await page.context().storageState();
		await page.context().close();
	});

	test.afterAll(async () => {
		await app?.stop();
	});

	test('an official sets a target for the commune; a villager of a hamlet below finishes the course; the dashboard and the CSV show it', async ({
		browser
	}, info) => {
		const official = await newPage(browser, info, officialState);
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
		const learner = await newPage(browser, info);
		await register(learner, { name: 'Y Blông', phone: freshPhone(), audience: 'Người dân', unitQuery: hamletName, unit: `${hamletName}, xã Vân Canh` });
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
