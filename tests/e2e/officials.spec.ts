// A commune official (given the role with `npm run user:grant -- PHONE official 21994`) finds the unit pages from the
// account page, makes a villager a team member, adds a hamlet and reads the audit log; a learner gets 403.
import { spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { expect, test, type Browser, type BrowserContextOptions, type Page, type TestInfo } from '@playwright/test';

const PASSWORD = 'lúa chín vàng đồng';

let counter = 0;
function freshPhone(): string {
	const n = (Date.now() * 13 + counter++ * 7919 + Math.floor(Math.random() * 1000)) % 1e8;
	return `09${String(n).padStart(8, '0')}`;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

async function register(page: Page, name: string, phone: string) {
	await page.goto('/register');
	await page.getByLabel('Họ và tên').fill(name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(phone);
	await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	await page.getByRole('radio', { name: 'Cán bộ, công chức, viên chức' }).check();
	await page.getByLabel('Tìm theo tên').fill('van canh');
	await page.getByRole('button', { name: 'Tìm' }).click();
	await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	await page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' }).check();
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
	await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
	await expect(page).toHaveURL(/\/account\?welcome=1$/);
}

async function expectReadable(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe('unit officials', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let officialState: BrowserContextOptions['storageState'];

	async function newPage(browser: Browser, info: TestInfo, storageState?: BrowserContextOptions['storageState']): Promise<Page> {
		const { viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = info.project.use;
		const context = await browser.newContext({ viewport, userAgent, isMobile, hasTouch, deviceScaleFactor, baseURL: origin, storageState });
		return context.newPage();
	}

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(300_000);
		app = await startFixtureApp(`officials_${info.project.name}`);
		origin = app.origin;
		const page = await newPage(browser, info);
		const phone = freshPhone();
		await register(page, 'Lê Văn Xã', phone);
		const grant = await run(['user:grant', '--', phone, 'official', '21994'], { ...process.env, DATABASE_URL: app.dbUrl });
		expect(grant.stderr).toBe('');
		expect(grant.stdout).toContain('Đã cấp vai trò cán bộ quản lý đơn vị của Xã Vân Canh, tỉnh Gia Lai cho Lê Văn Xã');
		officialState = await page.context().storageState();
		await page.context().close();
	});

	test.afterAll(async () => {
		await app?.stop();
	});

	test('an official grants the team-member role, adds a hamlet and reads the log; a learner is refused', async ({ browser }, info) => {
		test.setTimeout(180_000);
		const villager = await newPage(browser, info);
		const villagerPhone = freshPhone();
		await register(villager, 'Đinh Thị Tổ', villagerPhone);

		const official = await newPage(browser, info, officialState);
		await official.goto('/account');
		await official.getByRole('link', { name: 'Đơn vị của tôi' }).click();
		await expect(official.getByRole('heading', { level: 1, name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
		await expectReadable(official);
		const unitUrl = official.url();

		await official.getByRole('link', { name: 'Người và vai trò' }).click();
		await official.getByLabel('Số điện thoại hoặc tên đăng nhập').fill('0900000001');
		await official.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'thành viên tổ công nghệ số cộng đồng' });
		await official.getByRole('button', { name: 'Cấp vai trò' }).click();
		await expect(official.getByRole('alert')).toContainText('Không tìm thấy tài khoản');
		await expect(official.getByLabel('Số điện thoại hoặc tên đăng nhập')).toHaveValue('0900000001');
		await official.getByLabel('Số điện thoại hoặc tên đăng nhập').fill(villagerPhone);
		await official.getByRole('button', { name: 'Cấp vai trò' }).click();
		await expect(official.getByRole('status')).toHaveText('Đã cấp vai trò thành viên tổ công nghệ số cộng đồng của Xã Vân Canh, tỉnh Gia Lai cho Đinh Thị Tổ.');
		await expect(official.getByRole('row').filter({ hasText: 'Đinh Thị Tổ' })).toContainText('thành viên tổ công nghệ số cộng đồng');
		await expectReadable(official);

		await official.goto(unitUrl);
		await official.getByRole('link', { name: 'Thôn, làng, tổ dân phố' }).click();
		await official.getByLabel('Loại').first().selectOption('làng');
		await official.getByLabel('Tên (không kèm chữ “thôn”, “làng”)').fill('Hiệp Hà');
		await official.getByRole('button', { name: 'Thêm', exact: true }).click();
		await expect(official.getByRole('status')).toHaveText('Đã thêm làng Hiệp Hà.');
		await expect(official.getByRole('heading', { level: 3, name: 'Làng Hiệp Hà' })).toBeVisible();
		await official.getByLabel('Tên (không kèm chữ “thôn”, “làng”)').fill('Hiệp Hà');
		await official.getByLabel('Loại').first().selectOption('làng');
		await official.getByRole('button', { name: 'Thêm', exact: true }).click();
		await expect(official.getByRole('alert')).toHaveText('Xã đã có làng Hiệp Hà.');
		await expectReadable(official);

		await official.goto(unitUrl);
		await official.getByRole('link', { name: 'Nhật ký thay đổi' }).click();
		await expect(official.getByRole('row').filter({ hasText: 'Cấp vai trò' }).filter({ hasText: 'Đinh Thị Tổ' })).toHaveCount(1);
		await expect(official.getByRole('row').filter({ hasText: 'Thêm thôn' })).toContainText('làng Hiệp Hà');
		await expectReadable(official);

		const refused = await villager.goto(`${unitUrl}/vai-tro`);
		expect(refused?.status()).toBe(403);
	});
});
