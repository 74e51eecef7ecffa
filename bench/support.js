// Shared by the benchmark scripts: build the app if needed and serve it on a free local port.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function buildIfNeeded() {
	if (process.env.BENCH_SKIP_BUILD === '1' && fs.existsSync('build/handler.js') && fs.existsSync('build/pgdata-template/PG_VERSION')) return;
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (r.status !== 0) throw new Error('vite build failed');
	const t = spawnSync(process.execPath, ['node_modules/vite-node/dist/cli.mjs', 'scripts/pglite-template.ts'], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (t.status !== 0) throw new Error('scripts/pglite-template.ts failed');
}

export async function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/** Starts `node server.js`; resolves when it answers. `env` adds to the environment (DATABASE_URL...). */
export async function startServer(env = {}) {
	const port = await freePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bench-'));
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['server.js'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, HOCSO_DATA_DIR: dataDir, ...env }
	});
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			const r = await fetch(`${origin}/courses`);
			if (r.ok) break;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error('server did not start in 120 s');
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		origin,
		async stop() {
			child.kill('SIGTERM');
			await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
