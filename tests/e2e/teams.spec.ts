// A hamlet's community digital-technology team at work, on phones: a team member registers two villagers with
// their consent, prints their login cards, one villager logs in on a shared phone by the card's QR link and PIN,
// finishes a course, and the team view counts it; a villager who forgot the PIN gets back in with a reset code.
// Runs on its own app with the small fixture courses (a course can be finished with one question).
import { spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import pg from 'pg';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { expect, test, type Browser, type BrowserContextOptions, type Page, type TestInfo } from '@playwright/test';

// The machines running the suite are shared: answers may take longer than Playwright's default 5 s.
const slow = expect.configure({ timeout: 20_000 });
const PASSWORD = 'lúa chín vàng đồng';
const COMMUNE_CODE = '21994'; // Xã Vân Canh, Gia Lai (2025)

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

async function expectNoAxeViolations(page: Page) {
	const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function expectNoSideScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
}

test.describe('community team @phone-only', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let teamState: BrowserContextOptions['storageState'];
	let hamletId = 0;

	async function newPage(browser: Browser, info: TestInfo, storageState?: BrowserContextOptions['storageState']): Promise<Page> {
		const { viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = info.project.use;
		const context = await browser.newContext({ viewport, userAgent, isMobile, hasTouch, deviceScaleFactor, baseURL: origin, storageState });
		return context.newPage();
	}

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(240_000);
		app = await startFixtureApp(`teams_${info.project.name}`);
		origin = app.origin;

		// A hamlet of Vân Canh, as an official adds it: a unit row under the commune, counted in the commune's scope.
		const c = new pg.Client({ connectionString: app.dbUrl });
		await c.connect();
		const commune = await c.query(`select id from unit where code = $1 and valid_to is null`, [COMMUNE_CODE]);
		const hamlet = await c.query(
			`insert into unit (code, name, level, type, parent_id, search_key) values ('21994-01', 'Làng Hà Văn', 'hamlet', 'làng', $1, ' lang ha van') returning id`,
			[commune.rows[0].id]
		);
		hamletId = hamlet.rows[0].id;
		await c.query(
			`insert into unit_scope (ancestor_id, unit_id, depth, partial) select ancestor_id, $1, depth + 1, partial from unit_scope where unit_id = $2`,
			[hamletId, commune.rows[0].id]
		);
		await c.query(`insert into unit_scope (ancestor_id, unit_id, depth, partial) values ($1, $1, 0, false)`, [hamletId]);
		await c.end();

		// The team member registers like anyone, then is given the role for the hamlet.
		const page = await newPage(browser, info);
		const phone = `09${String(Date.now() % 1e8).padStart(8, '0')}`;
		await page.goto('/register');
		await page.getByLabel('Họ và tên').fill('Đinh Văn Tổ');
		await page.getByLabel('Số điện thoại', { exact: true }).fill(phone);
		await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
		await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
		await page.getByRole('radio', { name: 'Người dân' }).check();
		await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
		await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
		await expect(page).toHaveURL(/\/account\?welcome=1$/);
		const grant = await run('npm', ['run', '--silent', 'user:grant', '--', phone, 'team_member', '21994-01'], { ...process.env, DATABASE_URL: app.dbUrl });
		expect(grant.stderr).toBe('');
		expect(grant.code).toBe(0);
		teamState = await page.context().storageState();
		await page.context().close();
	});

	test.afterAll(async () => {
		await app?.stop();
	});

	test('register two villagers, print cards, log in by QR link and PIN on a shared phone, finish a course, see it counted; a reset code lets a villager back in', async ({ browser }, info) => {
		test.setTimeout(180_000);
		const team = await newPage(browser, info, teamState);
		const base = `/don-vi/${hamletId}/nguoi-dan`;

		// Two villagers, each with their consent.
		for (const [name, year] of [['Đinh Thị Lan', '1962'], ['Đinh Văn Hùng', '1958']]) {
			await team.goto(`${base}/dang-ky`);
			await team.getByLabel('Họ và tên').fill(name);
			await team.getByLabel('Năm sinh').fill(year);
			await team.getByRole('checkbox', { name: /Người dân đã nghe và đồng ý/ }).check();
			await team.getByRole('button', { name: 'Đăng ký' }).click();
			await slow(team.getByRole('status')).toContainText(`Đã đăng ký ${name}`);
		}
		await expectNoAxeViolations(team);
		await expectNoSideScroll(team);

		// The same person again: shown as a likely duplicate, nothing created.
		await team.getByLabel('Họ và tên').fill('Dinh Thi Lan');
		await team.getByLabel('Năm sinh').fill('1962');
		await team.getByRole('checkbox', { name: /Người dân đã nghe và đồng ý/ }).check();
		await team.getByRole('button', { name: 'Đăng ký' }).click();
		await slow(team.getByRole('alert')).toContainText('Có thể người này đã được đăng ký');
		await expect(team.getByRole('alert').getByRole('link', { name: 'Đinh Thị Lan' })).toBeVisible();

		// Cards for both.
		await team.goto(`${base}/in-the`);
		await expectNoAxeViolations(team);
		await team.getByRole('button', { name: 'Tạo và in thẻ' }).click();
		const cards = team.locator('.login-card');
		await expect(cards).toHaveCount(2);
		await expectNoAxeViolations(team);
		const readCard = async (name: string) => {
			const card = cards.filter({ hasText: name });
			const text = await card.innerText();
			return { code: /Mã thẻ: ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(text)![1], pin: /Mã PIN: (\d{6})/.exec(text)![1] };
		};
		const lan = await readCard('Đinh Thị Lan');
		const hung = await readCard('Đinh Văn Hùng');
		// Printed, the cards go two to a row on A4 (8 to a page).
		await team.emulateMedia({ media: 'print' });
		const boxes = await Promise.all([0, 1].map((i) => cards.nth(i).boundingBox()));
		expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(2);
		await team.emulateMedia({ media: 'screen' });

		// The family phone: Hùng first, then Lan by her card's QR link, asked only for the PIN.
		const phone = await newPage(browser, info);
		await phone.goto(`/the/${hung.code}`);
		await phone.getByLabel('Mã PIN').fill(hung.pin);
		await phone.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(phone.getByText('Đang học: Đinh Văn Hùng')).toBeVisible();

		await phone.goto(`/the/${lan.code}`);
		await expect(phone.getByRole('heading', { name: 'Chào Lan' })).toBeVisible();
		await expectNoAxeViolations(phone);
		await phone.getByLabel('Mã PIN').fill('000000' === lan.pin ? '111111' : '000000');
		await phone.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(phone.getByRole('alert')).toContainText('chưa đúng');
		await phone.getByLabel('Mã PIN').fill(lan.pin);
		await phone.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(phone.getByText('Đang học: Đinh Thị Lan')).toBeVisible();

		// Lan learns and finishes the one-question course.
		await phone.goto('/courses/khoa-mot-bai/bai-duy-nhat');
		await phone.getByRole('radio', { name: 'Đúng' }).check();
		await phone.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(phone.getByRole('heading', { name: /^Kết quả: 100% · Đạt$/ })).toBeVisible();
		await phone.goto('/my');
		await expect(phone.locator('.card', { hasText: 'Khóa một bài' }).getByText('✓ Đã hoàn thành')).toBeVisible();

		// "Đổi người học": given names only; Hùng needs his own PIN and sees nothing of Lan's.
		await phone.getByRole('link', { name: 'Đổi người học' }).click();
		await expect(phone.getByRole('link', { name: 'Lan' })).toBeVisible();
		await expect(phone.getByText('Đinh Thị Lan')).toHaveCount(0);
		await expectNoAxeViolations(phone);
		await phone.getByRole('link', { name: 'Hùng' }).click();
		await phone.getByLabel(/Mã PIN của Hùng/).fill(hung.pin);
		await phone.getByRole('button', { name: 'Vào học' }).click();
		await expect(phone.getByText('Đang học: Đinh Văn Hùng')).toBeVisible();
		await expect(phone.getByText('Bạn chưa bắt đầu khóa học nào.')).toBeVisible();

		// The team view counts Lan's record.
		await team.goto(base);
		const row = team.getByRole('row').filter({ hasText: 'Đinh Thị Lan' });
		await expect(row.getByRole('cell').nth(3)).toHaveText('1');
		await expect(team.locator('.figures div', { hasText: 'Có giấy chứng nhận' }).locator('dd')).toHaveText('1');
		await expectNoAxeViolations(team);
		await expectNoSideScroll(team);

		// Hùng forgot his PIN and is slowed down after wrong tries; the team member gives him a reset code.
		const other = await newPage(browser, info);
		for (let i = 0; i < 6; i++) {
			await other.goto(`/the/${hung.code}`);
			await other.getByLabel('Mã PIN').fill(String(100000 + i) === hung.pin ? '999999' : String(100000 + i));
			await other.getByRole('button', { name: 'Đăng nhập' }).click();
		}
		await expect(other.getByRole('alert')).toContainText('Đã thử sai nhiều lần');
		await team.getByRole('link', { name: 'Đinh Văn Hùng' }).click();
		await team.getByRole('button', { name: 'Cấp mã lấy lại mật khẩu' }).click();
		const resetCode = (await team.locator('.code').innerText()).trim();
		expect(resetCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}$/);
		await expectNoAxeViolations(team);

		await other.goto('/login');
		await expect(other.getByRole('heading', { name: 'Quên mật khẩu?' })).toBeVisible();
		await other.getByRole('link', { name: 'nhập mã ở đây' }).click();
		await other.getByLabel('Mã lấy lại mật khẩu').fill(resetCode.toLowerCase());
		await other.getByRole('button', { name: 'Tiếp tục' }).click();
		await expect(other.getByText('Chào Hùng.')).toBeVisible();
		await expectNoAxeViolations(other);
		await other.getByLabel('Mã PIN mới (6 chữ số)').fill('246813');
		await other.getByLabel('Nhập lại mã PIN mới').fill('246813');
		await other.getByRole('button', { name: 'Đặt lại và đăng nhập' }).click();
		await expect(other.getByText('Đang học: Đinh Văn Hùng')).toBeVisible();
		// His other sessions ended (the family phone is logged out), and the code does not work twice.
		await phone.goto('/my');
		await expect(phone).toHaveURL(/\/login/);
		await other.goto(`/lay-lai-mat-khau?ma=${resetCode}`);
		await expect(other.getByRole('alert')).toContainText('không dùng được');
		await expectNoSideScroll(other);
	});
});
