// Administration: an administrator made with `npm run user:grant`, assigning courses and revoking records.
// The app runs here on its own database and on the small fixture courses, so a course can be finished in one
// question; it is the app the webServer built.
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { closeDevicePages, expectNoAxeViolations, expectNoSideScroll, freshPhone, grantRole, newDevicePage, register, registerByPost, run } from './support/people';
import { expect, test, type BrowserContextOptions } from '@playwright/test';

/** The calendar day in Vietnam, `days` from today, as a date input holds it and as the pages write it. */
function vietnamDay(days: number): { iso: string; text: string } {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
	const iso = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
	const [y, m, d] = iso.split('-');
	return { iso, text: `${d}/${m}/${y}` };
}

test.describe('administration', () => {
	let app: FixtureApp | undefined;
	let dbUrl = '';
	let origin = '';
	let adminState: BrowserContextOptions['storageState'];
	let adminPhone = '';

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(240_000);
		app = await startFixtureApp(`admin_${info.project.name}`);
		({ origin, dbUrl } = app);

		// The first administrator: an account registered in the app, given the role from the shell.
		const page = await newDevicePage(browser, info, origin);
		adminPhone = freshPhone();
		await registerByPost(page, { name: 'Phạm Văn Quản', phone: adminPhone });
		await page.goto('/account');
		await expect(page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Quản trị' })).toHaveCount(0);
		const grant = await grantRole(dbUrl, `+84 ${adminPhone.slice(1)}`, 'admin');
		expect(grant.stderr).toBe('');
		expect(grant.code).toBe(0);
		expect(grant.stdout).toContain(`Đã cấp vai trò quản trị viên cho Phạm Văn Quản (${adminPhone}).`);
		const missing = await run('npm', ['run', '--silent', 'user:grant', '--', '0900000000', 'admin'], { ...process.env, DATABASE_URL: dbUrl });
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain('Không tìm thấy tài khoản');
		adminState = await page.context().storageState();
		await page.context().close();
	});

	test.afterEach(closeDevicePages);

	test.afterAll(async () => {
		await app?.stop();
	});

	test('an administrator assigns a course with a due date; the learner sees it under "Khóa học của tôi"; others get 403', async ({ browser }, info) => {
		const learner = await newDevicePage(browser, info, origin);
		const learnerPhone = freshPhone();
		await registerByPost(learner, { name: 'Nông Thị Lan', phone: learnerPhone });

		const admin = await newDevicePage(browser, info, origin, adminState);
		await admin.goto('/account');
		await expect(admin.getByRole('heading', { name: 'Quản trị' })).toBeVisible();
		await admin.getByRole('link', { name: 'Giao khóa học cho người học' }).click();
		await expect(admin.getByRole('heading', { level: 1, name: 'Giao khóa học' })).toBeVisible();

		// A past due date is refused, keeping what was typed.
		const typed = `${learnerPhone.slice(0, 4)} ${learnerPhone.slice(4, 7)} ${learnerPhone.slice(7)}`;
		await admin.getByLabel('Số điện thoại hoặc tên đăng nhập của người học').fill(typed);
		await admin.getByLabel('Khóa học', { exact: true }).selectOption({ label: 'Khóa kiểm thử học tập' });
		await admin.getByLabel('Hạn hoàn thành (không bắt buộc)').fill(vietnamDay(-1).iso);
		await admin.getByRole('button', { name: 'Giao khóa học' }).click();
		await expect(admin.getByRole('alert')).toHaveText('Hạn hoàn thành đã qua. Hãy chọn hôm nay hoặc một ngày sau hôm nay.');
		await expect(admin.getByLabel('Số điện thoại hoặc tên đăng nhập của người học')).toHaveValue(typed);
		await expect(admin.getByLabel('Khóa học', { exact: true })).toHaveValue('khoa-kiem-thu');

		// Someone with no account.
		await admin.getByLabel('Số điện thoại hoặc tên đăng nhập của người học').fill('0900000000');
		await admin.getByLabel('Hạn hoàn thành (không bắt buộc)').fill(vietnamDay(10).iso);
		await admin.getByRole('button', { name: 'Giao khóa học' }).click();
		await expect(admin.getByRole('alert')).toContainText('Không tìm thấy người học');

		const due = vietnamDay(30);
		await admin.getByLabel('Số điện thoại hoặc tên đăng nhập của người học').fill(typed);
		await admin.getByLabel('Khóa học', { exact: true }).selectOption({ label: 'Khóa kiểm thử học tập' });
		await admin.getByLabel('Hạn hoàn thành (không bắt buộc)').fill(due.iso);
		await admin.getByRole('button', { name: 'Giao khóa học' }).click();
		await expect(admin.getByRole('status')).toHaveText(`Đã giao khóa “Khóa kiểm thử học tập” cho Nông Thị Lan, hạn hoàn thành ${due.text}.`);
		const row = admin.getByRole('listitem').filter({ hasText: 'Nông Thị Lan' });
		await expect(row).toHaveCount(1);
		await expect(row).toContainText('Khóa kiểm thử học tập');
		await expect(row).toContainText(`Hạn hoàn thành ${due.text}`);
		await expect(row).toContainText('Chưa hoàn thành');
		await expect(row.getByText('Quá hạn')).toHaveCount(0);
		await expectNoSideScroll(admin);
		await expectNoAxeViolations(admin);

		await learner.goto('/my');
		const card = learner.locator('.card', { hasText: 'Khóa kiểm thử học tập' });
		await expect(card).toContainText(`Được giao, hạn hoàn thành ${due.text}.`);
		await expect(card.getByRole('link', { name: /Bắt đầu học/ })).toBeVisible();
		await expectNoSideScroll(learner);

		// Assigning again changes the due date of the same assignment.
		const later = vietnamDay(60);
		await admin.getByLabel('Số điện thoại hoặc tên đăng nhập của người học').fill(learnerPhone);
		await admin.getByLabel('Khóa học', { exact: true }).selectOption({ label: 'Khóa kiểm thử học tập' });
		await admin.getByLabel('Hạn hoàn thành (không bắt buộc)').fill(later.iso);
		await admin.getByRole('button', { name: 'Giao khóa học' }).click();
		await expect(admin.getByRole('status')).toContainText(`Nông Thị Lan đã được giao khóa “Khóa kiểm thử học tập” từ trước. Đã cập nhật: nay hạn hoàn thành ${later.text}.`);
		await expect(row).toHaveCount(1);
		await expect(row).toContainText(`Hạn hoàn thành ${later.text}`);
		await learner.reload();
		await expect(card).toContainText(`Được giao, hạn hoàn thành ${later.text}.`);

		// A learner is no administrator; a visitor is asked to log in.
		for (const p of ['/admin/assignments', '/admin/records']) {
			const res = await learner.goto(p);
			expect(res?.status(), p).toBe(403);
		}
		const post = await learner.request.post('/admin/assignments?/assign', {
			form: { login: learnerPhone, course: 'khoa-mot-bai', due: '' },
			headers: { origin }
		});
		expect(post.status()).toBe(403);
		await learner.goto('/account');
		await expect(learner.getByRole('heading', { name: 'Quản trị' })).toHaveCount(0);
		await expect(learner.getByRole('link', { name: 'Giao khóa học cho người học' })).toHaveCount(0);
		const visitor = await newDevicePage(browser, info, origin);
		await visitor.goto('/admin/assignments');
		await expect(visitor).toHaveURL(/\/login\?next=%2Fadmin%2Fassignments$/);

		// Removing it: the learner, who had not started, no longer has the course.
		await row.getByRole('button', { name: 'Bỏ giao khóa Khóa kiểm thử học tập của Nông Thị Lan' }).click();
		await expect(admin.getByRole('status')).toHaveText('Đã bỏ giao khóa “Khóa kiểm thử học tập” của Nông Thị Lan.');
		await expect(admin.getByRole('listitem').filter({ hasText: 'Nông Thị Lan' })).toHaveCount(0);
		await learner.goto('/my');
		await expect(learner.getByText('Bạn chưa bắt đầu khóa học nào.')).toBeVisible();
	});

	test('a guest who finished a course registers and holds its certificate; an administrator revokes it and /verify shows why', async ({ browser }, info) => {
		// As a guest: one question, answered rightly, completes the course; a guest gets no certificate yet.
		const learner = await newDevicePage(browser, info, origin);
		await learner.goto('/courses/khoa-mot-bai/bai-duy-nhat');
		await learner.getByRole('radio', { name: 'Đúng' }).check();
		await learner.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(learner.getByRole('heading', { name: /^Kết quả: 100% · Đạt$/ })).toBeVisible();
		await expect(learner.getByRole('link', { name: 'Xem giấy chứng nhận' })).toHaveCount(0);

		// Registering gives the certificate at once, for the unit chosen.
		await register(learner, { name: 'Lục Văn Hưng', phone: freshPhone() });
		await learner.goto('/my');
		const card = learner.locator('.card', { hasText: 'Khóa một bài' });
		await expect(card.getByText('✓ Đã hoàn thành')).toBeVisible();
		await card.getByRole('link', { name: 'Xem giấy chứng nhận' }).click();
		await expect(learner.getByRole('heading', { level: 1, name: 'Giấy chứng nhận hoàn thành khóa học' })).toBeVisible();
		await expect(learner.getByText('Xã Vân Canh')).toBeVisible();
		const code = (await learner.locator('dd.code').innerText()).trim();
		expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/);

		const checker = await newDevicePage(browser, info, origin);
		await checker.goto(`/verify/${code}`);
		await expect(checker.getByRole('heading', { name: '✓ Giấy chứng nhận hợp lệ' })).toBeVisible();

		const admin = await newDevicePage(browser, info, origin, adminState);
		await admin.goto('/account');
		await admin.getByRole('link', { name: 'Quản lý giấy chứng nhận' }).click();
		await admin.getByLabel('Mã giấy chứng nhận').fill(code.replace(/-/g, '').toLowerCase());
		await admin.getByRole('button', { name: 'Tìm' }).click();
		await expect(admin.getByRole('heading', { name: `Giấy chứng nhận ${code}` })).toBeVisible();
		await expect(admin.getByText('Lục Văn Hưng')).toBeVisible();
		const reason = 'Làm bài hộ người khác';
		await admin.getByLabel('Lý do thu hồi').fill(reason);
		await admin.getByRole('button', { name: 'Thu hồi giấy chứng nhận' }).click();
		await expect(admin.getByRole('status')).toHaveText(`Đã thu hồi giấy chứng nhận ${code}.`);
		const log = admin.getByRole('row').filter({ hasText: code });
		await expect(log).toContainText('Thu hồi');
		await expect(log).toContainText(reason);
		await expect(log).toContainText('Phạm Văn Quản');
		await expectNoSideScroll(admin);

		await checker.reload();
		await expect(checker.getByRole('heading', { name: '✗ Giấy chứng nhận đã bị thu hồi' })).toBeVisible();
		await expect(checker.getByText(`Lý do: ${reason}`)).toBeVisible();
		await learner.goto('/my');
		await expect(learner.locator('.card', { hasText: 'Khóa một bài' }).getByRole('link', { name: 'Xem giấy chứng nhận' })).toHaveCount(0);
	});
});
