// Publishing courses on the running built app: a trainer's change goes live without a restart and without a
// failed request; a change with errors keeps the last good version online and shows the errors to administrators.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, test, type Page } from '@playwright/test';
import { startDevServer } from './support/dev-server';
import { stopAfterEachTest } from './support/stop-after-each';
import { expectNoAxeViolations, freshPhone, grantRole, registerByPost } from './support/people';

// The tests of this file are independent (each starts what it needs, on ports of its own): they may run on
// different workers at the same time.
test.describe.configure({ mode: 'parallel' });

const started = stopAfterEachTest();

const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LESSON = 'courses/01-khoa-thu/01-bai-dau.md';

async function adminQuery(sql: string) {
	const c = new pg.Client({ connectionString: PG_ADMIN });
	await c.connect();
	try {
		await c.query(sql);
	} finally {
		await c.end();
	}
}

interface LiveApp {
	origin: string;
	dbUrl: string;
	root: string;
	env: NodeJS.ProcessEnv;
	child: ChildProcess;
	output(): string;
	stop(): Promise<void>;
}

/** The built app on a copy of the small sync fixture, a database of its own and a data folder for its run file. */
async function startLiveApp(name: string, port: number, extraEnv: Record<string, string> = {}): Promise<LiveApp> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), `hocso-live-${name}-`));
	fs.cpSync('tests/fixtures/content-sync', path.join(root, 'content'), { recursive: true });
	const dbName = `hocso_e2e_${process.pid}_${name}`;
	await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
	await adminQuery(`CREATE DATABASE ${dbName}`);
	const url = new URL(PG_ADMIN);
	url.pathname = `/${dbName}`;
	const origin = `http://127.0.0.1:${port}`;
	const env = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: origin,
		DATABASE_URL: url.toString(),
		HOCSO_CONTENT_DIR: path.join(root, 'content'),
		HOCSO_DATA_DIR: path.join(root, 'data'),
		...extraEnv
	};
	let out = '';
	const child = spawn(process.execPath, ['server.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			await new Promise((r) => child.once('exit', r));
		}
		await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
		fs.rmSync(root, { recursive: true, force: true });
	};
	started.add(stop);
	for (let i = 0; i < 480; i++) {
		try {
			if ((await fetch(`${origin}/courses`)).ok) return { origin, dbUrl: url.toString(), root, env, child, output: () => out, stop };
		} catch {
			// not up yet
		}
		if (child.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	await stop();
	throw new Error(`the app did not start:\n${out}`);
}

function edit(app: LiveApp, from: string, to: string) {
	const file = path.join(app.root, 'content', LESSON);
	const text = fs.readFileSync(file, 'utf8');
	if (!text.includes(from)) throw new Error(`"${from}" is not in ${file}`);
	fs.writeFileSync(file, text.replace(from, to));
}

async function lessonTitle(app: LiveApp): Promise<string> {
	const res = await fetch(`${app.origin}/courses/khoa-thu/bai-dau`);
	const html = await res.text();
	return /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? `(status ${res.status})`;
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out waiting for ${what}`);
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, out }));
	});
}

async function registerAdmin(page: Page, app: LiveApp) {
	const phone = freshPhone();
	await registerByPost(page, { name: 'Giảng viên Thử', phone, origin: app.origin });
	await grantRole(app.dbUrl, phone, 'admin');
}

test('@phone-only a trainer changes a live course: published within seconds, no restart, no failed request; errors keep the last version and are shown', async ({ page }) => {
	test.setTimeout(240_000);
	const app = await startLiveApp('live', 5251);
	const failures: string[] = [];
	let requests = 0;
	let load = true;
	// Two learners reading all the time while the course changes under them.
	const reader = async () => {
		while (load) {
			try {
				const res = await fetch(`${app.origin}/courses/khoa-thu/bai-dau`);
				await res.text();
				requests++;
				if (res.status !== 200) failures.push(`status ${res.status}`);
			} catch (e) {
				failures.push(String(e));
			}
		}
	};
	const readers = [reader(), reader()];
	try {
		expect(await lessonTitle(app)).toBe('Bài đầu');
		const pid = app.child.pid;

		const saved = Date.now();
		edit(app, 'title: Bài đầu', 'title: Bài đầu đã cập nhật');
		await waitFor(async () => (await lessonTitle(app)) === 'Bài đầu đã cập nhật', 15_000, 'the change to be published');
		test.info().annotations.push({ type: 'published after', description: `${Date.now() - saved} ms` });

		// A mistake: an answer block left open. Learners keep the last good version.
		edit(app, '{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ');
		await waitFor(async () => app.output().includes('chưa được xuất bản'), 15_000, 'the error to be logged');
		expect(app.output()).toMatch(/content\/courses\/01-khoa-thu\/01-bai-dau\.md:15: lỗi: /);
		expect(await lessonTitle(app)).toBe('Bài đầu đã cập nhật');

		// An administrator sees the errors in the app, with file and line.
		await registerAdmin(page, app);
		await page.goto(`${app.origin}/courses`);
		await expect(page.getByRole('alert')).toContainText('chưa được xuất bản');
		await page.getByRole('link', { name: 'Xem lỗi' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nội dung khóa học');
		await expect(page.getByText(/01-bai-dau\.md:15$/)).toBeVisible();
		await page.screenshot({ path: test.info().outputPath('content-errors-360.png'), fullPage: true });

		// Fixed: published again, the alert is gone.
		edit(app, '{=Cài đặt ~Danh bạ', '{=Cài đặt ~Danh bạ ~Máy ảnh}');
		await waitFor(async () => (await fetch(`${app.origin}/courses/khoa-thu/bai-dau`).then((r) => r.text())).includes('Máy ảnh'), 15_000, 'the fix to be published');
		await page.goto(`${app.origin}/admin/content`);
		await expect(page.getByText('Nội dung đang phục vụ người học là bản mới nhất')).toBeVisible();

		// Same process all along.
		expect(app.child.pid).toBe(pid);
		expect(app.child.exitCode).toBeNull();
	} finally {
		load = false;
		await Promise.all(readers);
		await app.stop();
	}
	expect(failures).toEqual([]);
	expect(requests).toBeGreaterThan(20);
});

test('@phone-only without watching, SIGHUP and `npm run content:publish` publish; content:publish refuses content with errors', async () => {
	test.setTimeout(180_000);
	const app = await startLiveApp('signal', 5252, { HOCSO_WATCH_CONTENT: '0' });
	try {
		edit(app, 'title: Bài đầu', 'title: Bài đầu qua tín hiệu');
		await new Promise((r) => setTimeout(r, 3000));
		expect(await lessonTitle(app)).toBe('Bài đầu');
		app.child.kill('SIGHUP');
		await waitFor(async () => (await lessonTitle(app)) === 'Bài đầu qua tín hiệu', 15_000, 'SIGHUP to publish');

		edit(app, 'title: Bài đầu qua tín hiệu', 'title: Bài đầu qua lệnh');
		const ok = await run(['node_modules/tsx/dist/cli.mjs', 'scripts/content-publish.ts'], app.env);
		expect(ok.out).toContain(`Tiến trình ${app.child.pid}: đã xuất bản`);
		expect(ok.code).toBe(0);
		expect(await lessonTitle(app)).toBe('Bài đầu qua lệnh');

		edit(app, '{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ');
		const bad = await run(['node_modules/tsx/dist/cli.mjs', 'scripts/content-publish.ts'], app.env);
		expect(bad.code).toBe(1);
		expect(bad.out).toMatch(/01-bai-dau\.md:15: lỗi: /);
		expect(bad.out).toContain('Chưa xuất bản');
		expect(await lessonTitle(app)).toBe('Bài đầu qua lệnh');
	} finally {
		await app.stop();
	}
});

test('@phone-only in development, a phone-sized preview of a lesson shows the checker\'s problems; the built app has no preview', async ({ page, request }) => {
	test.setTimeout(300_000);
	expect((await request.get('/preview/lam-quen-dien-thoai/cham-vuot-va-nut-bam')).status()).toBe(404);

	const port = 5254;
	const dev = startDevServer('preview', port);
	try {
		const url = `http://127.0.0.1:${port}/preview/khoa-thu/bai-dau`;
		await waitFor(async () => (await fetch(url).catch(() => null))?.ok ?? false, 180_000, `the dev server\n${dev.output()}`);
		const file = path.join(dev.content, LESSON);
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ'));
		await page.goto(url);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xem trước: Bài đầu');
		await expect(page.getByRole('heading', { name: 'Kiểm tra: 1 lỗi, 0 cảnh báo' })).toBeVisible();
		await expect(page.getByText(/01-bai-dau\.md:15$/)).toBeVisible();
		const frame = page.frameLocator('iframe[title^="Bài học trên màn hình điện thoại"]');
		await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Bài đầu');
		const box = await page.locator('iframe').boundingBox();
		expect(Math.round(box!.width)).toBeLessThanOrEqual(360);
		await page.screenshot({ path: test.info().outputPath('preview-360.png'), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.screenshot({ path: test.info().outputPath('preview-1280.png'), fullPage: true });
		await expectNoAxeViolations(page);
	} finally {
		await dev.stop();
	}
});
