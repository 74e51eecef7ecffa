import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DevServer {
	/** The dev server's content folder: a copy of tests/fixtures/content-sync that the test may edit. */
	content: string;
	/** What the dev server has written to stdout and stderr so far. */
	output(): string;
	/** Stops the dev server and removes its folder; may be called again. */
	stop(): Promise<void>;
}

/**
 * `vite dev` on a copy of the small fixture courses, with an embedded database in a new data directory of its own.
 * That directory starts from the build's template, as the built app's does, rather than with initdb.
 */
export function startDevServer(name: string, port: number): DevServer {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), `hocso-${name}-`));
	const content = path.join(root, 'content');
	fs.cpSync('tests/fixtures/content-sync', content, { recursive: true });
	let out = '';
	const dev = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'dev', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
		env: { ...process.env, DATABASE_URL: '', HOCSO_DATA_DIR: path.join(root, 'data'), HOCSO_CONTENT_DIR: content, HOCSO_PGDATA_TEMPLATE: path.resolve('build/pgdata-template') },
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group, so the whole dev server stops with it.
		detached: true
	});
	dev.stdout!.on('data', (d) => (out += d));
	dev.stderr!.on('data', (d) => (out += d));
	const exited = new Promise((resolve) => dev.once('exit', resolve));
	return {
		content,
		output: () => out,
		async stop() {
			try {
				process.kill(-dev.pid!, 'SIGTERM');
			} catch {
				// already gone
			}
			await exited;
			fs.rmSync(root, { recursive: true, force: true });
		}
	};
}
