// Bulk work of a commune official: importing the commune's civil servants from a CSV file (a bad row is shown and
// fixed, then everyone is created at once and their setup codes printed), a civil servant setting their own password
// with the code, a course assigned to the whole commune, and the overdue list for a meeting (page and CSV).
import pg from 'pg';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { closeDevicePages, COMMUNE_CODE, COMMUNE_LABEL, expectReadable, freshPhone, grantRole, newDevicePage, PASSWORD, registerByPost } from './support/people';
import { expect, test, type BrowserContextOptions, type Page, type TestInfo } from '@playwright/test';

async function shot(page: Page, info: TestInfo, name: string) {
	await page.screenshot({ path: info.outputPath(`${info.project.name}-${name}.png`), fullPage: true });
}

/** How the page prints (at a desk: a phone's narrow window says nothing of an A4 sheet). */
async function printShot(page: Page, info: TestInfo, name: string) {
	if (info.project.name !== 'desktop') return;
	await page.emulateMedia({ media: 'print' });
	await page.setViewportSize({ width: 794, height: 1123 });
	await shot(page, info, name);
	await page.emulateMedia({ media: 'screen' });
	await page.setViewportSize(info.project.use.viewport!);
}

test.describe('bulk work of unit officials', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let officialState: BrowserContextOptions['storageState'];

	async function query(text: string, values: unknown[] = []) {
		const c = new pg.Client({ connectionString: app!.dbUrl });
		await c.connect();
		try {
			return await c.query(text, values);
		} finally {
			await c.end();
		}
	}

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(300_000);
		app = await startFixtureApp(`bulk_${info.project.name}`);
		origin = app.origin;
		const page = await newDevicePage(browser, info, origin);
		const phone = freshPhone();
		await registerByPost(page, { name: 'Lê Văn Xã', phone });
		await grantRole(app.dbUrl, phone, 'official', COMMUNE_CODE);
		officialState = await page.context().storageState();
		await page.context().close();
	});

	test.afterEach(closeDevicePages);

	test.afterAll(async () => {
		await app?.stop();
	});

	test('import with a bad row, fix, import, print setup codes; set a password with one; assign a course; overdue list', async ({ browser }, info) => {
		test.setTimeout(180_000);
		const official = await newDevicePage(browser, info, origin, officialState);
		const [first, second] = [freshPhone(), freshPhone()];
		const header = 'Họ và tên;Số điện thoại hoặc tên đăng nhập;Mã đơn vị;Chức vụ';
		const file = (rows: string[]) => ({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + [header, ...rows].join('\r\n'), 'utf8') });

		// One unit: /don-vi goes straight to its page.
		await official.goto('/don-vi');
		await expect(official.getByRole('heading', { level: 1 })).toHaveText(COMMUNE_LABEL);
		const unitUrl = official.url();
		await official.getByRole('link', { name: 'Nhập danh sách cán bộ' }).click();
		await expect(official.getByRole('heading', { level: 1 })).toHaveText(`Nhập danh sách cán bộ: ${COMMUNE_LABEL}`);
		await shot(official, info, 'nhap-danh-sach');
		await expectReadable(official);

		await official.getByLabel(/Tệp danh sách/).setInputFiles(file([`Nguyễn Văn Một;${first};21994;Công chức Tư pháp - Hộ tịch`, 'Trần Thị Hai;0912 34;21994;Phó Chủ tịch']));
		await official.getByRole('button', { name: 'Xem trước' }).click();
		await expect(official).toHaveURL(/nhap-danh-sach\?phien=/);
		await expect(official.getByRole('alert')).toContainText('1 trong 2 dòng có lỗi');
		await expect(official.getByRole('row').filter({ hasText: 'Trần Thị Hai' })).toContainText('Số điện thoại "0912 34" chưa đúng');
		await expect(official.getByRole('button', { name: /Nhập tất cả/ })).toHaveCount(0);
		await shot(official, info, 'xem-truoc-loi');
		await expectReadable(official);

		await official.getByLabel(/Tệp danh sách/).setInputFiles(file([`Nguyễn Văn Một;${first};21994;Công chức Tư pháp - Hộ tịch`, `Trần Thị Hai;${second};21994;Phó Chủ tịch`]));
		await official.getByRole('button', { name: 'Xem trước' }).click();
		await expect(official.getByRole('status')).toContainText('Cả 2 dòng đều đúng');
		await expectReadable(official);
		await official.getByRole('button', { name: 'Nhập tất cả (2 người)' }).click();
		await expect(official.getByRole('status')).toContainText('Đã tạo 2 tài khoản');
		const slip = official.getByRole('listitem').filter({ hasText: 'Trần Thị Hai' });
		await expect(slip).toContainText('Phó Chủ tịch, Xã Vân Canh');
		const code = (await slip.locator('strong.mono').textContent())!.trim();
		expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);
		await shot(official, info, 'phieu-ma');
		await expectReadable(official);
		await printShot(official, info, 'phieu-ma-in');

		// The civil servant scans the QR code (its address carries the code) and sets their own password.
		const person = await newDevicePage(browser, info, origin);
		await person.goto(`/lay-lai-mat-khau?ma=${code}`);
		await expect(person.getByText('Cán bộ đơn vị đã tạo tài khoản Học Số cho bạn')).toBeVisible();
		await expectReadable(person);
		await person.getByLabel('Mật khẩu mới', { exact: true }).fill(PASSWORD);
		await person.getByLabel('Nhập lại mật khẩu mới').fill(PASSWORD);
		await person.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
		await expect(person).toHaveURL(/\/my\?lay-lai=1$/);
		// Used once: the code no longer works.
		await person.goto(`/lay-lai-mat-khau?ma=${code}`);
		await expect(person.getByRole('alert')).toContainText('không dùng được');

		// The whole commune gets a course with a due date.
		await official.goto(unitUrl);
		await official.getByRole('link', { name: 'Giao khóa học' }).click();
		await official.getByLabel('Khóa học hoặc chương trình').selectOption({ label: 'Khóa một bài' });
		await official.getByLabel('Hạn hoàn thành').fill(`${new Date().getFullYear() + 1}-12-31`);
		await official.getByRole('button', { name: 'Giao khóa học' }).click();
		await expect(official.getByRole('status')).toContainText('3 người nhận được ngay');
		await expect(official.getByRole('heading', { level: 3, name: 'Khóa một bài' })).toBeVisible();
		await shot(official, info, 'giao-khoa-hoc');
		await expectReadable(official);

		// Time passes: the due date is behind us (set in the database: the form refuses a day in the past).
		await query(`update unit_assignment set due_at = now() - interval '2 days'`);
		await query(`update assignment set due_at = now() - interval '2 days' where unit_assignment_id is not null`);
		await official.getByRole('link', { name: /người quá hạn/ }).click();
		await expect(official.getByRole('heading', { level: 1 })).toHaveText('Danh sách chưa hoàn thành khóa học đúng hạn');
		await expect(official.getByRole('row').filter({ hasText: 'Trần Thị Hai' })).toContainText('Khóa một bài');
		await expect(official.getByRole('row').filter({ hasText: 'Nguyễn Văn Một' })).toContainText('Công chức Tư pháp - Hộ tịch');
		await shot(official, info, 'qua-han');
		await expectReadable(official);
		await printShot(official, info, 'qua-han-in');
		const csv = await official.request.get(await official.getByRole('link', { name: 'Tải CSV' }).getAttribute('href').then((h) => h!));
		expect(csv.headers()['content-type']).toContain('text/csv');
		const text = await csv.text();
		expect(text.charCodeAt(0)).toBe(0xfeff);
		expect(text).toContain('Danh sách quá hạn: Xã Vân Canh, tỉnh Gia Lai; Khóa một bài');
		expect(text).toContain('Trần Thị Hai');

		// Someone without the role is refused.
		const refused = await person.goto(`${unitUrl}/qua-han`);
		expect(refused?.status()).toBe(403);
	});
});
