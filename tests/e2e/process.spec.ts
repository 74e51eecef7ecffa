import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startDevServer } from './support/dev-server';
import { stopAfterEachTest } from './support/stop-after-each';

// The tests of this file are independent (each starts what it needs, on ports of its own): they may run on
// different workers at the same time.
test.describe.configure({ mode: 'parallel' });

// The built app on embedded PGlite (the default of `npm start`): one process per data directory, prompt shutdown.
// Note: runs after the web server of this suite has built the app into build/.

const started = stopAfterEachTest();

function startApp(dataDir: string, port: number, extraEnv: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
	let out = '';
	const child = spawn(process.execPath, ['server.js'], {
		env: { ...process.env, DATABASE_URL: '', HOCSO_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ORIGIN: '', ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	started.add(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { child, output: () => out, exited };
}

async function waitUntilServing(url: string, ms: number) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not yet
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error(`${url} did not answer in ${ms} ms`);
}

test('embedded database: a second process on the same data directory refuses to start; SIGTERM exits promptly', async () => {
	test.setTimeout(180_000);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-proc-'));
	const first = startApp(dataDir, 4391);
	try {
		await waitUntilServing('http://127.0.0.1:4391/courses', 120_000);

		const second = startApp(dataDir, 4392);
		const code = await Promise.race([second.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
		expect(code).toBe(1);
		expect(second.output()).toContain('đang được một tiến trình Học Số khác dùng');
		// The first process still serves and its data is intact.
		expect((await fetch('http://127.0.0.1:4391/courses')).status).toBe(200);

		const t0 = Date.now();
		first.child.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		expect(Date.now() - t0).toBeLessThan(10_000);
		// The lock was released: the directory can be opened again.
		expect(fs.existsSync(path.join(dataDir, 'hocso.lock'))).toBe(false);
	} finally {
		first.child.kill('SIGKILL');
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
});

/**
 * A form post sent over a raw connection in two parts, so that the request is still in flight when the test wants:
 * returns `finish`, which sends the rest and resolves with the raw response once the server has closed the connection.
 */
function postInTwoParts(port: number, pathname: string, headers: Record<string, string>, body: string) {
	const socket = net.connect(port, '127.0.0.1');
	let response = '';
	socket.setEncoding('utf8');
	socket.on('data', (d) => (response += d));
	const closed = new Promise<string>((resolve, reject) => {
		socket.once('close', () => resolve(response));
		socket.once('error', reject);
	});
	const bytes = Buffer.from(body);
	const head = [`POST ${pathname} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Content-Length: ${bytes.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
	const half = Math.floor(bytes.length / 2);
	socket.write(`${head.join('\r\n')}\r\n\r\n`);
	socket.write(bytes.subarray(0, half));
	return {
		finish: () => {
			socket.write(bytes.subarray(half));
			return closed;
		}
	};
}

test('SIGTERM while a quiz is being sent: the answer is stored and answered before the database closes, then the app exits', async () => {
	test.setTimeout(240_000);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-drain-'));
	const port = 4395;
	const origin = `http://127.0.0.1:${port}`;
	const lesson = '/courses/khoa-mot-bai/bai-duy-nhat';
	const env = { HOCSO_CONTENT_DIR: 'tests/fixtures/content', ORIGIN: origin };
	let app = startApp(dataDir, port, env);
	try {
		await waitUntilServing(`${origin}/courses`, 120_000);
		const key = /name="submission" value="([^"]+)"/.exec(await (await fetch(`${origin}${lesson}`)).text())?.[1];
		expect(key).toBeTruthy();
		// A visitor's right answer: stored as a guest's first attempt, answered by a redirect to its result.
		const body = new URLSearchParams({ submission: key!, 'q.m-1': 'true' }).toString();
		const post = postInTwoParts(port, `${lesson}?/quiz`, { Origin: origin, Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' }, body);
		// The request has arrived (its headers and half its body): now the app is told to stop.
		await new Promise((r) => setTimeout(r, 500));
		app.child.kill('SIGTERM');
		// It takes no new connection while it finishes this one...
		await new Promise((r) => setTimeout(r, 500));
		await expect(fetch(`${origin}/courses`)).rejects.toThrow();
		expect(app.child.exitCode).toBeNull();
		// ...which is answered in full, the connection closed after it, and the app exits cleanly.
		const response = await post.finish();
		expect(response).toMatch(/^HTTP\/1\.1 303 /);
		expect(response).toMatch(/\r\nconnection: close\r\n/i);
		const location = /\r\nlocation: ([^\r]+)\r\n/i.exec(response)?.[1];
		expect(location).toMatch(/\?lan-lam=\d+#ket-qua$/);
		const cookie = /\r\nset-cookie: ([^;\r]+)/i.exec(response)?.[1];
		expect(cookie).toBeTruthy();
		expect(await app.exited).toBe(0);
		expect(app.output()).not.toMatch(/destroyed|Error/);

		// Started again on the same data, the result is there for the guest who sent it.
		app = startApp(dataDir, port, env);
		await waitUntilServing(`${origin}/courses`, 120_000);
		const result = await fetch(`${origin}${location}`, { headers: { cookie: cookie! } });
		expect(result.status).toBe(200);
		const html = await result.text();
		expect(html).toContain('id="ket-qua"');
		expect(html).toMatch(/Kết quả: 100% · Đạt/);
	} finally {
		app.child.kill('SIGKILL');
		await app.exited;
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
});

test('on invalid content the app refuses to start only when nothing was ever published, naming the file and line', async () => {
	test.setTimeout(120_000);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bad-'));
	// A new data directory starts from the build's template, which holds content/ as published at build time: that
	// is not a version of this folder, so nothing of it was ever published.
	const app = startApp(dataDir, 4393, { HOCSO_CONTENT_DIR: 'tests/fixtures/content-bad' });
	try {
		expect(await app.exited).toBe(1);
		expect(app.output()).toContain('Học Số không khởi động được');
		expect(app.output()).toContain('tests/fixtures/content-bad/courses/01-khoa-loi/01-bai-mot.md:12:');
	} finally {
		app.child.kill('SIGKILL');
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
});

test('started on invalid content, the app serves the version last published in its database and logs the errors', async () => {
	test.setTimeout(240_000);
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-restart-'));
	const content = path.join(root, 'content');
	fs.cpSync('tests/fixtures/content-sync', content, { recursive: true });
	const dataDir = path.join(root, 'data');
	const env = { HOCSO_CONTENT_DIR: content };
	const url = 'http://127.0.0.1:5253/courses/khoa-thu/bai-dau';
	let app = startApp(dataDir, 5253, env);
	try {
		await waitUntilServing(url, 120_000);
		app.child.kill('SIGTERM');
		expect(await app.exited).toBe(0);

		const lesson = path.join(content, 'courses/01-khoa-thu/01-bai-dau.md');
		fs.writeFileSync(lesson, fs.readFileSync(lesson, 'utf8').replace('title: Bài đầu', 'title: Bài đầu hỏng').replace('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ'));
		app = startApp(dataDir, 5253, env);
		await waitUntilServing(url, 120_000);
		const html = await (await fetch(url)).text();
		expect(html).toContain('>Bài đầu</h1>');
		expect(html).not.toContain('Bài đầu hỏng');
		expect(app.output()).toMatch(/có 1 lỗi nên chưa được xuất bản; người học vẫn thấy bản trước/);
		expect(app.output()).toMatch(/01-khoa-thu\/01-bai-dau\.md:15: lỗi: /);
	} finally {
		app.child.kill('SIGKILL');
		await app.exited;
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('in development, saving a lesson file reloads the open page with the change', async ({ page }) => {
	test.setTimeout(180_000);
	const port = 4394;
	const dev = startDevServer('dev', port);
	started.add(() => dev.stop());
	try {
		const url = `http://127.0.0.1:${port}/courses/khoa-thu/bai-dau`;
		await waitUntilServing(url, 120_000).catch((e) => {
			throw new Error(`${e.message}\n${dev.output()}`);
		});
		await page.goto(url);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bài đầu');
		const file = path.join(dev.content, 'courses/01-khoa-thu/01-bai-dau.md');
		const reloaded = page.waitForEvent('load', { timeout: 60_000 });
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: Bài đầu', 'title: Bài đầu đã sửa'));
		await reloaded;
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bài đầu đã sửa');
	} finally {
		await dev.stop();
	}
});
