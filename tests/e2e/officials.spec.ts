// A commune official (given the role with `npm run user:grant -- PHONE official 21994`) finds the unit pages from the
// account page, makes a villager a team member, adds a hamlet and reads the audit log; a learner gets 403.
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { closeDevicePages, COMMUNE_CODE, expectReadable, freshPhone, grantRole, newDevicePage, registerByPost } from './support/people';
import { expect, test, type BrowserContextOptions } from '@playwright/test';

test.describe('unit officials', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let officialState: BrowserContextOptions['storageState'];

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(300_000);
		app = await startFixtureApp(`officials_${info.project.name}`);
		origin = app.origin;
		const page = await newDevicePage(browser, info, origin);
		const phone = freshPhone();
		await registerByPost(page, { name: 'Lê Văn Xã', phone });
		const grant = await grantRole(app.dbUrl, phone, 'official', COMMUNE_CODE);
		expect(grant.stderr).toBe('');
		expect(grant.stdout).toContain('Đã cấp vai trò cán bộ quản lý đơn vị của Xã Vân Canh, tỉnh Gia Lai cho Lê Văn Xã');
		officialState = await page.context().storageState();
		await page.context().close();
	});

	test.afterEach(closeDevicePages);

	test.afterAll(async () => {
		await app?.stop();
	});

	test('an official grants the team-member role, adds a hamlet and reads the log; a learner is refused', async ({ browser }, info) => {
		test.setTimeout(180_000);
		const villager = await newDevicePage(browser, info, origin);
		const villagerPhone = freshPhone();
		await registerByPost(villager, { name: 'Đinh Thị Tổ', phone: villagerPhone });

		const official = await newDevicePage(browser, info, origin, officialState);
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
