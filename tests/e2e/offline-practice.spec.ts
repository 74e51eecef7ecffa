// A practice played offline on a 360 px phone: the learner stores the scam course, loses the network, plays the
// practice to its end from the stored page (the script reads the stored steps, the screens come from the phone),
// and when the network is back the run is sent and counted once (in the database and on the course page), however
// often it is sent. Runs on the app started once more on the real courses, with a database the test can read.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';
import { CITIZEN, COMMUNE_CODE, closeDevicePages, expectNoAxeViolations, expectReadable, freshPhone, grantRole, newDevicePage, registerByPost } from './support/people';

const COURSE = '/courses/an-toan-tren-mang';
const LESSON = `${COURSE}/thuc-hanh-nhan-dien-lua-dao`;
const PRACTICE = `${LESSON}/thuc-hanh/ba-tinh-huong-lua-dao`;
const TAPS: [string, string][] = [
	['Chuyển 5 triệu để xác minh', 'không bao giờ bảo người dân chuyển tiền'],
	['Quay lại', 'Tình huống 1 trên 3'],
	['Tắt máy', 'gọi ai để hỏi'],
	['Gọi lại số vừa gọi', 'Số đó là của kẻ gian'],
	['Gọi Công an xã, số đã lưu từ bảng tin của xã', 'Công an không gọi điện đòi tiền'],
	['Tiếp tục', 'Tình huống 2 trên 3'],
	['Xem hóa đơn trong ứng dụng điện lực hoặc gọi tổng đài in trên hóa đơn', 'không còn nợ'],
	['Tiếp tục', 'Tình huống 3 trên 3'],
	['Không trả lời, báo 156 rồi xóa tin', 'cả ba lần']
];

let app: FixtureApp;
test.beforeAll(async () => {
	test.setTimeout(240_000);
	app = await startFixtureApp('offline_practice', { HOCSO_CONTENT_DIR: path.resolve('content') });
});
test.afterEach(closeDevicePages);
test.afterAll(async () => {
	await app?.stop();
});

async function counted(username: string) {
	const c = new pg.Client({ connectionString: app.dbUrl });
	await c.connect();
	try {
		const runs = await c.query(
			`select r.run_key, r.steps, r.completed_at is not null as completed from practice_run r join app_user u on u.id = r.user_id where u.username = $1`,
			[username]
		);
		const done = await c.query(`select count(*)::int as n from practice_completion pc join app_user u on u.id = pc.user_id where u.username = $1`, [username]);
		return { runs: runs.rows, completions: done.rows[0].n as number };
	} finally {
		await c.end();
	}
}

test('a practice played offline from the stored course is counted once when the network is back', { tag: '@phone-only' }, async ({ page, context }) => {
	test.setTimeout(180_000);
	const name = 'Đinh Văn Lực';
	const username = `offp${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
	await registerByPost(page, { name, username, audience: CITIZEN, unit: null, origin: app.origin });

	// Storing the course: the box says practices are included, and what is stored holds the practice.
	await page.goto(app.origin + COURSE);
	await page.evaluate(() => navigator.serviceWorker.ready);
	const box = page.locator('[data-offline-course]');
	await expect(box).toContainText(/cần khoảng \d+,\d MB\) để đọc, làm bài kiểm tra và thực hành/);
	await box.getByRole('button', { name: 'Lưu để học khi không có mạng' }).click();
	await expect(box).toContainText('✓ Đã lưu trên máy', { timeout: 60_000 });
	const stored = await page.evaluate(
		async ({ origin, practice }) => {
			const text = async (url: string) => (await caches.match(origin + url))?.text() ?? '';
			const steps = await text(`${practice}/buoc.json`);
			const html = await text(practice);
			const screens = Object.values(JSON.parse(steps || '{"steps":{}}').steps as Record<string, { screen: string }>).map((s) => s.screen);
			const missing = [];
			for (const s of new Set(screens)) if (!(await caches.match(origin + s))) missing.push(s);
			const script = /<script type="module" src="(\/js\/practice\.js\?v=[^"]+)"/.exec(html)?.[1] ?? '';
			return { steps, html, screens: screens.length, missing, script: script && !!(await caches.match(origin + script)) };
		},
		{ origin: app.origin, practice: PRACTICE }
	);
	expect(stored.screens).toBeGreaterThan(0);
	expect(stored.missing).toEqual([]);
	expect(stored.script).toBe(true);
	// The stored page is the one any visitor gets: not this learner's name, no one's run.
	expect(stored.html).toContain('data-saved');
	expect(stored.html).toContain('data-who=""');
	expect(stored.html).not.toContain(name);
	const storedRun = /data-run="([^"]+)"/.exec(stored.html)?.[1];
	expect(storedRun).toBeTruthy();

	await context.setOffline(true);
	await page.goto(app.origin + LESSON);
	await page.getByRole('link', { name: 'Bắt đầu thực hành' }).click();
	await expect(page).toHaveURL(`${app.origin}${PRACTICE}#thuc-hanh`);
	// The script has taken over from the stored steps: the tap targets are plain buttons.
	await expect(page.locator('.practice-target[type=button]').first()).toBeAttached();
	const started = Date.now();
	for (const [tap, then] of TAPS) {
		await page.getByRole('button', { name: tap, exact: true }).click();
		await expect(page.locator('main')).toContainText(then);
	}
	const seconds = (Date.now() - started) / 1000;
	await expect(page.getByRole('status').filter({ hasText: 'Hoàn thành.' })).toContainText('sẽ tự gửi khi có mạng');
	await expectNoAxeViolations(page);
	console.log(`practice offline: ${TAPS.length} taps in ${seconds.toFixed(1)} s from the stored course`);

	const queued = await page.evaluate(async () => {
		const cache = await caches.open('hocso-queue');
		return Promise.all((await cache.keys()).map(async (r) => (await cache.match(r))!.json()));
	});
	expect(queued).toHaveLength(1);
	const entry = queued[0] as { url: string; json: { run: string; moves: unknown[] }; fields: [string, string][] };
	expect(entry.url).toBe(`${PRACTICE}/buoc.json`);
	expect(entry.json.moves).toHaveLength(TAPS.length);
	// Its own run: not the key written into the stored page (another opening would have another key).
	expect(entry.json.run).not.toBe(storedRun);
	expect(entry.fields).toEqual([['_who', expect.stringMatching(/^u\d+$/)]]);
	expect(await counted(username)).toEqual({ runs: [], completions: 0 });

	// Still offline, on another stored page: the run waits there. Back online, that page sends it, once.
	await page.goto(app.origin + COURSE);
	await expect(page.locator('[data-queue-status]')).toHaveText(/1 bài làm chờ gửi: sẽ tự gửi khi điện thoại có mạng/);
	await context.setOffline(false);
	await expect(page.locator('[data-queue-status]')).toHaveText(/Đã gửi 1 bài làm/);
	const after = await counted(username);
	expect(after.completions).toBe(1);
	// The risky choice (transferring the money) counts as a wrong tap on the call, as does calling the number back.
	expect(after.runs).toEqual([{ run_key: entry.json.run, completed: true, steps: expect.objectContaining({ 'cuoc-goi': 1, 'goi-so-that': 1 }) }]);
	expect(await page.evaluate(async () => (await caches.open('hocso-queue')).keys().then((k) => k.length))).toBe(0);
	await page.reload();
	const lesson = page.locator('.lesson-list li').filter({ hasText: 'Thực hành: ba cuộc gọi, tin nhắn lừa đảo' });
	await expect(lesson).toContainText('✓ Đã thực hành');
	await expectNoAxeViolations(page);

	// Sent again (a retry after an answer that got lost): still one run, one completion.
	const again = await page.request.post(app.origin + entry.url, { data: entry.json, headers: { Origin: app.origin } });
	expect(await again.json()).toMatchObject({ saved: true, completed: true });
	expect(await counted(username)).toEqual(after);

	// Played once more offline, and the network comes back on the practice page itself: sent from there, a second
	// run, still one completion.
	await context.setOffline(true);
	await page.goto(app.origin + PRACTICE);
	await expect(page.locator('.practice-target[type=button]').first()).toBeAttached();
	for (const [tap, then] of TAPS.filter(([tap]) => tap !== 'Gọi lại số vừa gọi')) {
		await page.getByRole('button', { name: tap, exact: true }).click();
		await expect(page.locator('main')).toContainText(then);
	}
	await expect(page.locator('main')).toContainText('sẽ tự gửi khi có mạng');
	await context.setOffline(false);
	// The practice's own script or the offline queue (whichever takes the queue first) sends it and says so.
	await expect(page.locator('main')).toContainText(/Đã ghi nhận: bạn đã làm xong bài thực hành này|Đã gửi 1 bài làm/);
	await expect.poll(async () => (await counted(username)).runs.length).toBe(2);
	expect((await counted(username)).completions).toBe(1);
	expect(await page.evaluate(async () => (await caches.open('hocso-queue')).keys().then((k) => k.length))).toBe(0);
});

test("the commune's trainer reads the practice figures of the commune only, at 360 px", { tag: '@phone-only' }, async ({ browser }, info) => {
	test.setTimeout(180_000);
	const trainer = await newDevicePage(browser, info, app.origin);
	const trainerPhone = freshPhone();
	await registerByPost(trainer, { name: 'Giảng viên Thảo', phone: trainerPhone });
	await grantRole(app.dbUrl, trainerPhone, 'trainer', COMMUNE_CODE);

	// A learner of the commune plays the scam practice with the script, the risky choice included.
	const learner = await newDevicePage(browser, info, app.origin);
	await registerByPost(learner, { name: 'Người học Vân Canh', phone: freshPhone(), audience: CITIZEN });
	await learner.goto(PRACTICE);
	await expect(learner.locator('.practice-target[type=button]').first()).toBeAttached();
	for (const [tap, then] of TAPS) {
		await learner.getByRole('button', { name: tap, exact: true }).click();
		await expect(learner.locator('main')).toContainText(then);
	}
	await expect(learner.getByText('Đã ghi nhận: bạn đã làm xong bài thực hành này.')).toBeVisible();
	await learner.context().close();

	await trainer.goto('/phan-tich/an-toan-tren-mang');
	await trainer.getByRole('link', { name: 'Phân tích các bài thực hành trên màn hình mô phỏng' }).click();
	await expect(trainer.getByRole('heading', { level: 1, name: 'Thực hành: người học vướng ở đâu' })).toBeVisible();
	await expect(trainer.getByText(/Người học thuộc Xã Vân Canh/)).toBeVisible();
	const practice = trainer.locator('section').filter({ has: trainer.getByRole('heading', { name: 'Ba tình huống lừa đảo' }) });
	await expect(practice).toContainText('1 lần bắt đầu (1 người), 1 lần làm xong (1 người)');
	// One person: who tapped wrong where is not shown.
	await expect(practice).toContainText('Dưới 5 người làm');
	const first = practice.getByRole('row').filter({ hasText: 'Tình huống 1 trên 3' });
	await expect(first.getByRole('cell')).toHaveText(['1', '–', '–']);
	await expectReadable(trainer);
	await trainer.screenshot({ path: info.outputPath('practice-analytics.png'), fullPage: true });
	await practice.getByRole('table').scrollIntoViewIfNeeded();
	await trainer.screenshot({ path: info.outputPath('practice-analytics-table.png') });
	// The province above the commune is outside the trainer's scope: refused.
	const c = new pg.Client({ connectionString: app.dbUrl });
	await c.connect();
	const province = (await c.query(`select id from unit where code = '52' and valid_to is null`)).rows[0].id as number;
	await c.end();
	const res = await trainer.request.get(`/phan-tich/an-toan-tren-mang/thuc-hanh?don_vi=${province}`);
	expect(res.status()).toBe(403);
	await trainer.context().close();
});
