// A hamlet's community digital-technology team at work, on phones: the commune's official adds the hamlet and sets
// targets on the officials' pages; a team member registers two villagers with their consent, prints their login
// cards, one villager logs in on a shared phone by the card's QR link and PIN, finishes a course, and the team view
// (against the hamlet's targets) and the commune's dashboard count it; changing learner on the phone clears what the
// previous one stored there; a villager who forgot the PIN gets back in with a reset code.
// Runs on its own app with the small fixture courses (a course can be finished with one question).
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
	setTarget
} from './support/people';
import { expect, test, type BrowserContextOptions, type Page } from '@playwright/test';

// The machines running the suite are shared: answers may take longer than Playwright's default 5 s.
const slow = expect.configure({ timeout: 20_000 });
const HAMLET_TARGET = 'Làng Hà Văn: người dân học xong Khóa một bài';
const COMMUNE_TARGET = 'Xã Vân Canh: người dân học xong Khóa một bài';

/** What this site keeps on the phone for the person using it: stored courses, answers waiting, the saved list. */
function storedOnPhone(page: Page) {
	return page.evaluate(async () => ({
		// The service worker's own files (hocso-shell-*) come back with it on the next page: they are nobody's.
		caches: (await caches.keys()).filter((k) => !k.startsWith('hocso-shell-')),
		saved: localStorage.getItem('hocso-saved')
	}));
}

/** Submits a form with the button and returns the headers of the response to its POST (all of them, as sent). */
async function post(page: Page, path: string, button: string) {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path),
		page.getByRole('button', { name: button }).click()
	]);
	return { status: response.status(), headers: await response.allHeaders() };
}

test.describe('community team @phone-only', () => {
	let app: FixtureApp | undefined;
	let origin = '';
	let teamState: BrowserContextOptions['storageState'];
	let officialState: BrowserContextOptions['storageState'];
	let communeId = 0;
	let hamletId = 0;

	test.beforeAll(async ({ browser }, info) => {
		test.setTimeout(300_000);
		app = await startFixtureApp(`teams_${info.project.name}`);
		origin = app.origin;

		// The commune's official (registered in the app, given the role from the shell) adds the hamlet on the commune's
		// page and sets two targets: one for the hamlet, one for the whole commune.
		const official = await newDevicePage(browser, info, origin);
		const officialPhone = freshPhone();
		await registerByPost(official, { name: 'Lê Thị Xã', phone: officialPhone });
		await grantRole(app.dbUrl, officialPhone, 'official', COMMUNE_CODE);
		communeId = await myUnitId(official, COMMUNE_LABEL);
		const hamlet = await addHamlet(official, communeId, 'làng', 'Hà Văn');
		hamletId = hamlet.id;
		await setTarget(official, hamletId, { title: HAMLET_TARGET, course: 'Khóa một bài', audience: CITIZEN, learners: 2 });
		await setTarget(official, communeId, { title: COMMUNE_TARGET, course: 'Khóa một bài', audience: CITIZEN, learners: 10 });
		officialState = await official.context().storageState();
		await official.context().close();

		// The team member registers like anyone, then is given the role for the hamlet (by the code its page shows).
		const page = await newDevicePage(browser, info, origin);
		const phone = freshPhone();
		await registerByPost(page, { name: 'Đinh Văn Tổ', phone, audience: CITIZEN, unit: null });
		const grant = await grantRole(app.dbUrl, phone, 'team_member', hamlet.code);
		expect(grant.stderr).toBe('');
		teamState = await page.context().storageState();
		await page.context().close();
	});

	test.afterEach(closeDevicePages);

	test.afterAll(async () => {
		await app?.stop();
	});

	test('register two villagers, print cards, log in by QR link and PIN on a shared phone, finish a course, see it counted against the targets; changing learner clears the phone; a reset code lets a villager back in', async ({
		browser
	}, info) => {
		test.setTimeout(240_000);
		const team = await newDevicePage(browser, info, origin, teamState);
		const base = `/don-vi/${hamletId}/nguoi-dan`;
		// The team's pages are found from the account page; the hamlet has no one yet, and its targets stand at 0.
		await team.goto('/account');
		await team.getByRole('link', { name: /^Người dân Làng Hà Văn/ }).click();
		await expect(team).toHaveURL(base);
		await expect(team.locator('.card', { hasText: HAMLET_TARGET })).toContainText('0 / 2 người (0 %)');

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
		const cards = team.locator('.slip');
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
		const phone = await newDevicePage(browser, info, origin);
		await phone.goto(`/the/${hung.code}`);
		await phone.getByLabel('Mã PIN').fill(hung.pin);
		await phone.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(phone.getByText('Đang học: Đinh Văn Hùng')).toBeVisible();

		await phone.goto(`/the/${lan.code}`);
		await expect(phone.getByRole('heading', { name: 'Chào Lan' })).toBeVisible();
		await expectNoAxeViolations(phone);
		await phone.getByLabel('Mã PIN').fill('000000' === lan.pin ? '111111' : '000000');
		const refused = await post(phone, `/the/${lan.code}`, 'Đăng nhập');
		await expect(phone.getByRole('alert')).toContainText('chưa đúng');
		// A wrong PIN changes nobody: what Hùng keeps on the phone stays.
		expect(refused.headers['clear-site-data']).toBeUndefined();
		await phone.getByLabel('Mã PIN').fill(lan.pin);
		// Lan takes over from Hùng: what he kept on the phone goes.
		const lanIn = await post(phone, `/the/${lan.code}`, 'Đăng nhập');
		expect(lanIn.headers['clear-site-data']).toBe('"cache", "storage"');
		await expect(phone.getByText('Đang học: Đinh Thị Lan')).toBeVisible();

		// Lan learns and finishes the one-question course.
		await phone.goto('/courses/khoa-mot-bai/bai-duy-nhat');
		await phone.getByRole('radio', { name: 'Đúng' }).check();
		await phone.getByRole('button', { name: 'Nộp bài' }).click();
		await expect(phone.getByRole('heading', { name: /^Kết quả: 100% · Đạt$/ })).toBeVisible();
		await phone.goto('/my');
		await expect(phone.locator('.card', { hasText: 'Khóa một bài' }).getByText('✓ Đã hoàn thành')).toBeVisible();

		// Lan also keeps the course on the phone to learn without signal.
		await phone.goto('/courses/khoa-mot-bai');
		await phone.evaluate(() => navigator.serviceWorker.ready);
		const offlineBox = phone.locator('[data-offline-course]');
		await offlineBox.getByRole('button', { name: 'Lưu để học khi không có mạng' }).click();
		await slow(offlineBox).toContainText('✓ Đã lưu trên máy');
		const lanStored = await storedOnPhone(phone);
		expect(lanStored.caches).toContain('hocso-course-khoa-mot-bai');
		expect(lanStored.saved).toContain('khoa-mot-bai');
		await phone.goto('/my');

		// "Đổi người học": given names only; Hùng needs his own PIN and sees nothing of Lan's.
		await phone.getByRole('link', { name: 'Đổi người học' }).click();
		await expect(phone.getByRole('link', { name: 'Lan' })).toBeVisible();
		await expect(phone.getByText('Đinh Thị Lan')).toHaveCount(0);
		await expectNoAxeViolations(phone);
		await phone.getByRole('link', { name: 'Hùng' }).click();
		await phone.getByLabel(/Mã PIN của Hùng/).fill(hung.pin);
		// The switch tells the browser to drop what this site stored (Clear-Site-Data), and it does.
		const switched = await post(phone, '/doi-nguoi-hoc', 'Vào học');
		expect(switched.status).toBe(303);
		expect(switched.headers['clear-site-data']).toBe('"cache", "storage"');
		await expect(phone.getByText('Đang học: Đinh Văn Hùng')).toBeVisible();
		await expect(phone.getByText('Bạn chưa bắt đầu khóa học nào.')).toBeVisible();
		expect(await storedOnPhone(phone)).toEqual({ caches: [], saved: null });
		// Nor does the catalogue show him Lan's finished course.
		await phone.goto('/courses');
		await expect(phone.getByText(/Đã hoàn thành/)).toHaveCount(0);

		// The team view counts Lan's record, against the hamlet's target and as the hamlet's part of the commune's.
		await team.goto(base);
		const row = team.getByRole('row').filter({ hasText: 'Đinh Thị Lan' });
		await expect(row.getByRole('cell').nth(3)).toHaveText('1');
		await expect(team.locator('.figures div', { hasText: 'Có giấy chứng nhận' }).locator('dd')).toHaveText('1');
		const hamletTarget = team.locator('.card', { hasText: HAMLET_TARGET });
		await expect(hamletTarget).toContainText('1 / 2 người (50 %)');
		const communeTarget = team.locator('.card', { hasText: COMMUNE_TARGET });
		await expect(communeTarget).toContainText('1 / 10 người (10 %)');
		await expect(communeTarget).toContainText('Đặt cho Xã Vân Canh');
		await expect(communeTarget).toContainText('Làng Hà Văn góp 1 người (10 % chỉ tiêu).');
		await expectNoAxeViolations(team);
		await expectNoSideScroll(team);
		await team.screenshot({ path: info.outputPath('team-view-360.png'), fullPage: true });
		// The printed list for a meeting keeps the figures and the targets, without the buttons.
		await team.emulateMedia({ media: 'print' });
		await expect(hamletTarget).toBeVisible();
		await expect(team.getByRole('link', { name: 'Đăng ký giúp người dân' })).toBeHidden();
		await expect(team.getByText(/^In ngày \d\d\/\d\d\/\d{4}$/)).toBeVisible();
		await team.emulateMedia({ media: 'screen' });
		// At a desk (1280 px) the same page reads as well.
		const phoneSize = team.viewportSize()!;
		await team.setViewportSize({ width: 1280, height: 800 });
		await expectNoAxeViolations(team);
		await expectNoSideScroll(team);
		await team.screenshot({ path: info.outputPath('team-view-1280.png'), fullPage: true });
		await team.setViewportSize(phoneSize);

		// The commune's dashboard counts her too: the commune's target, and the hamlet's row one level down.
		const official = await newDevicePage(browser, info, origin, officialState);
		await official.goto(`/don-vi/${communeId}/thong-ke`);
		await expect(official.locator('.card', { hasText: COMMUNE_TARGET })).toContainText('1 / 10 người (10 %)');
		const units = official.getByRole('table').filter({ has: official.getByRole('columnheader', { name: 'Hạng' }) });
		await expect(units.getByRole('row').filter({ hasText: 'Làng Hà Văn' }).getByRole('cell').nth(1)).toHaveText('1');
		await official.context().close();

		// Hùng forgot his PIN and is slowed down after wrong tries; the team member gives him a reset code.
		const other = await newDevicePage(browser, info, origin);
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
