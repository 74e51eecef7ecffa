// `npm start`: builds the app when the build is missing or older than the sources, then serves it.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const sources = ['src', 'migrations', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];

function newest(p) {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
	return max;
}

const built = fs.existsSync('build/handler.js') ? fs.statSync('build/handler.js').mtimeMs : 0;
if (built < Math.max(...sources.map(newest))) {
	fs.rmSync('build/pgdata-template', { recursive: true, force: true });
	console.log('Đang dựng ứng dụng (vite build)...');
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
// The embedded database a new data directory starts from (made after every build; see scripts/pglite-template.ts).
if (!process.env.DATABASE_URL && !fs.existsSync('build/pgdata-template/PG_VERSION')) {
	const r = spawnSync(process.execPath, ['node_modules/vite-node/dist/cli.mjs', 'scripts/pglite-template.ts'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('../server.js');
