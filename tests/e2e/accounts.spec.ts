import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { CITIZEN, registerByPost } from './support/people';

let counter = 0;
/** A mobile number no other test uses: 09 + 8 digits. */
function freshPhone(): string {
	const n = (Date.now() * 7 + counter++ * 7919 + Math.floor(Math.random() * 1000)) % 1e8;
	return `09${String(n).padStart(8, '0')}`;
}

const PASSWORD = 'lúa chín vàng đồng';

async function fillPasswords(page: Page, password = PASSWORD) {
	await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
	await page.getByLabel('Nhập lại mật khẩu').fill(password);
}

/** Registers through the form as a person would; finds the unit with the picker. */
async function registerViaForm(page: Page, opts: { name: string; phone: string; js: boolean }) {
	await page.goto('/register');
	await page.getByLabel('Họ và tên').fill(opts.name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(opts.phone);
	await fillPasswords(page);
	await page.getByRole('radio', { name: 'Người dân' }).check();
	await page.getByLabel('Tìm theo tên').fill('van canh');
	if (opts.js) {
		// Matches appear while typing.
		await expect(page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
	} else {
		await page.getByRole('button', { name: 'Tìm' }).click();
		await expect(page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
		// Everything typed is kept; the passwords too when the page's script searched in place, else they are typed again.
		await expect(page.getByLabel('Họ và tên')).toHaveValue(opts.name);
		await expect(page.getByLabel('Số điện thoại', { exact: true })).toHaveValue(opts.phone);
		await expect(page.getByRole('radio', { name: 'Người dân' })).toBeChecked();
		await expect(page.getByLabel('Tìm theo tên')).toHaveValue('van canh');
		if (!(await page.getByLabel('Mật khẩu', { exact: true }).inputValue())) await fillPasswords(page);
	}
	await expectNoSideScroll(page);
	// Only current units are offered: the former district of the same name is not.
	await expect(page.getByRole('radio', { name: /Huyện Vân Canh/ })).toHaveCount(0);
	await page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' }).check();
	const consent = page.getByRole('checkbox', { name: /Tôi đồng ý/ });
	await expect(consent).not.toBeChecked();
	await consent.check();
	await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
	await expect(page).toHaveURL(/\/account\?welcome=1$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' })).toBeVisible();
}

/**
 * A registered person, logged in on the page where the form lands (/account?welcome=1), for the tests of what
 * comes after registering: the form is posted as a browser without JavaScript sends it (the form itself is
 * tested above, with and without JavaScript).
 */
async function registered(page: Page, opts: { name: string; phone: string }) {
	await registerByPost(page, { name: opts.name, phone: opts.phone, audience: CITIZEN });
	await page.goto('/account?welcome=1');
	await expect(page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' })).toBeVisible();
}

async function logIn(page: Page, identifier: string, password = PASSWORD) {
	await page.getByLabel('Số điện thoại hoặc tên đăng nhập').fill(identifier);
	await page.getByLabel('Mật khẩu').fill(password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function expectNoSideScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
}

for (const js of [false, true]) {
	test.describe(`register, log out, log in, JavaScript ${js ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled: js });

		test('register with the unit picker, then log out and back in', async ({ page }) => {
			const phone = freshPhone();
			await registerViaForm(page, { name: 'Đinh Thị Hoa', phone, js });
			await expect(page.getByText('Chào mừng Đinh Thị Hoa!')).toBeVisible();
			await expect(page.getByRole('definition').filter({ hasText: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
			await expect(page.getByText(phone)).toBeVisible();
			await expectNoSideScroll(page);
			const nav = page.getByRole('navigation', { name: 'Chính' });
			await expect(nav.getByRole('link', { name: 'Tài khoản' })).toBeVisible();
			await expect(nav.getByRole('link', { name: 'Đăng nhập' })).toHaveCount(0);

			await page.getByRole('button', { name: 'Đăng xuất' }).click();
			await expect(page).toHaveURL(/\/$/);
			await expect(nav.getByRole('link', { name: 'Đăng nhập' })).toBeVisible();
			await expect(nav.getByRole('link', { name: 'Tài khoản' })).toHaveCount(0);

			await nav.getByRole('link', { name: 'Đăng nhập' }).click();
			// The number in another usual spelling.
			await logIn(page, `+84 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
			await expect(page).toHaveURL(/\/$/);
			await expect(nav.getByRole('link', { name: 'Tài khoản' })).toBeVisible();
		});
	});
}

test('what is typed before the page script has loaded is kept when it starts (slow networks)', async ({ page }) => {
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/js/unit-picker.js*', async (route) => {
		await gate;
		await route.continue();
	});
	await page.goto('/register', { waitUntil: 'commit' });
	await page.getByLabel('Họ và tên').fill('Rơ Mah Hlim');
	await page.getByLabel('Số điện thoại', { exact: true }).fill('0912 345 678');
	await page.getByRole('radio', { name: 'Người dân' }).check();
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
	release();
	// The picker shows matches while typing only once the script runs: type again until it does.
	const search = page.getByLabel('Tìm theo tên');
	await expect(async () => {
		await search.fill('');
		await search.fill('van canh');
		await expect(page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible({ timeout: 1000 });
	}).toPass();
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Rơ Mah Hlim');
	await expect(page.getByLabel('Số điện thoại', { exact: true })).toHaveValue('0912 345 678');
	await expect(page.getByRole('radio', { name: 'Người dân' })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: /Tôi đồng ý/ })).toBeChecked();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('pressing Enter in a box registers rather than searching units', async ({ page }) => {
		await page.goto('/register');
		await page.getByLabel('Họ và tên').fill('Y Blô');
		await page.getByLabel('Tên đăng nhập (nếu không có số điện thoại)').fill(`yblo${Date.now().toString(36)}`);
		await page.getByRole('radio', { name: 'Người dân' }).check();
		await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
		await fillPasswords(page);
		await page.getByLabel('Nhập lại mật khẩu').press('Enter');
		await expect(page).toHaveURL(/\/account\?welcome=1$/);
		await expect(page.getByText('Chào mừng Y Blô!')).toBeVisible();
	});

	test('a unit searched for but not chosen: asked to choose, with the matches listed', async ({ page }) => {
		await page.goto('/register');
		await page.getByLabel('Họ và tên').fill('Nguyễn Văn Tư');
		await page.getByLabel('Số điện thoại', { exact: true }).fill(freshPhone());
		await fillPasswords(page);
		await page.getByRole('radio', { name: 'Người dân' }).check();
		await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
		await page.getByLabel('Tìm theo tên').fill('canh vinh');
		await page.getByLabel('Tìm theo tên').press('Enter');
		await expect(page.getByRole('alert')).toHaveText(/Hãy chọn đơn vị của bạn trong danh sách/);
		await expect(page.getByRole('radio', { name: 'Xã Canh Vinh, tỉnh Gia Lai' })).toBeVisible();
		await expect(page.getByRole('checkbox', { name: /Tôi đồng ý/ })).toBeChecked();
	});

	test('a mistake is explained in Vietnamese and what was typed is kept', async ({ page }) => {
		await page.goto('/register');
		await page.getByLabel('Họ và tên').fill('Trần Văn Bình');
		await page.getByLabel('Số điện thoại', { exact: true }).fill('0123');
		await fillPasswords(page);
		await page.getByRole('radio', { name: 'Cán bộ, công chức, viên chức' }).check();
		await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
		await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
		await expect(page.getByRole('alert')).toHaveText(/Số điện thoại chưa đúng/);
		await expect(page.getByLabel('Số điện thoại', { exact: true })).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Họ và tên')).toHaveValue('Trần Văn Bình');
		await expect(page.getByRole('radio', { name: 'Cán bộ, công chức, viên chức' })).toBeChecked();
	});
});

test('a wrong password says so, and keeps the number typed', async ({ page }) => {
	const phone = freshPhone();
	await registered(page, { name: 'Lê Văn Cường', phone });
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await page.goto('/login');
	await logIn(page, phone, 'không phải mật khẩu');
	await expect(page.getByRole('alert')).toHaveText('Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng. Hãy kiểm tra rồi thử lại.');
	await expect(page.getByLabel('Số điện thoại hoặc tên đăng nhập')).toHaveValue(phone);
	await expect(page.getByLabel('Mật khẩu')).toHaveValue('');
});

test('the account page needs a login and comes back to it afterwards', async ({ page }) => {
	const phone = freshPhone();
	await registered(page, { name: 'Phạm Thu Trang', phone });
	await page.getByRole('button', { name: 'Đăng xuất' }).click();

	await page.goto('/account');
	await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
	await logIn(page, phone);
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByText('Phạm Thu Trang')).toBeVisible();

	// A link elsewhere is not followed after login.
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await page.goto('/login?next=https://example.com/');
	await logIn(page, phone);
	await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});

test('change password: the new one works, the old one no longer does', async ({ page }) => {
	const phone = freshPhone();
	await registered(page, { name: 'Võ Minh Tâm', phone });
	await page.getByLabel('Mật khẩu hiện tại').fill('sai mật khẩu');
	await page.getByLabel('Mật khẩu mới', { exact: true }).fill('mây trắng bay xa');
	await page.getByLabel('Nhập lại mật khẩu mới').fill('mây trắng bay xa');
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
	await expect(page.getByRole('alert')).toHaveText('Mật khẩu hiện tại chưa đúng. Hãy nhập lại.');

	await page.getByLabel('Mật khẩu hiện tại').fill(PASSWORD);
	await page.getByLabel('Mật khẩu mới', { exact: true }).fill('mây trắng bay xa');
	await page.getByLabel('Nhập lại mật khẩu mới').fill('mây trắng bay xa');
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
	await expect(page.getByRole('status')).toHaveText(/Đã đổi mật khẩu/);

	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await page.goto('/login');
	await logIn(page, phone);
	await expect(page.getByRole('alert')).toBeVisible();
	await logIn(page, phone, 'mây trắng bay xa');
	await expect(page).toHaveURL(/\/$/);
});

test('"Tải dữ liệu của tôi" downloads JSON with the person\'s name and no password hash', async ({ page }) => {
	await registered(page, { name: 'Nguyễn Thị Mai', phone: freshPhone() });
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Tải dữ liệu của tôi' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^hoc-so-du-lieu-cua-toi-\d{4}-\d{2}-\d{2}\.json$/);
	const text = fs.readFileSync((await download.path())!, 'utf8');
	const data = JSON.parse(text);
	expect(data.account.full_name).toBe('Nguyễn Thị Mai');
	expect(data.account.unit.name).toBe('Xã Vân Canh, tỉnh Gia Lai');
	expect(typeof data.learning).toBe('object');
	expect(text).not.toMatch(/argon2|password/i);
});

test('deleting the account logs out and the login no longer works', async ({ page }) => {
	const phone = freshPhone();
	await registered(page, { name: 'Hồ Văn Sơn', phone });
	await page.getByLabel('Nhập mật khẩu để xác nhận xóa').fill(PASSWORD);
	await page.getByRole('button', { name: 'Xóa tài khoản của tôi' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Đã xóa tài khoản' })).toBeVisible();
	await page.goto('/login');
	await logIn(page, phone);
	await expect(page.getByRole('alert')).toBeVisible();
});

test('"Chữ to" makes the text larger on every page until switched back', async ({ page }) => {
	await page.goto('/courses');
	const html = page.locator('html');
	await expect(html).not.toHaveClass(/text-lg/);
	const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
	const normal = await size();
	await page.getByRole('button', { name: 'Chữ to' }).click();
	await expect(page).toHaveURL(/\/courses$/);
	await expect(html).toHaveClass(/text-lg/);
	expect(await size()).toBeGreaterThan(normal);
	await page.goto('/about');
	await expect(html).toHaveClass(/text-lg/);
	await page.getByRole('button', { name: 'Chữ thường' }).click();
	await expect(html).not.toHaveClass(/text-lg/);
});

test('the account pages pass axe (WCAG 2.2 AA rules)', async ({ page }) => {
	const violations: string[] = [];
	const check = async (label: string) => {
		for (const v of await axeViolations(page)) violations.push(`${label}: ${v}`);
	};
	for (const url of ['/login', '/about']) {
		await page.goto(url);
		await check(url);
	}
	await page.goto('/register');
	await page.getByLabel('Tìm theo tên').fill('van canh');
	await page.getByRole('button', { name: 'Tìm' }).click();
	await expect(page.getByRole('radio', { name: 'Xã Vân Canh, tỉnh Gia Lai' })).toBeVisible();
	await check('/register with units');
	await registered(page, { name: 'Mai Văn Kiểm', phone: freshPhone() });
	await check('/account');
	await page.getByRole('button', { name: 'Chữ to' }).click();
	await check('/account, larger text');
	expect(violations).toEqual([]);
});
