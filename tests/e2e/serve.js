// Serves the built app for Playwright on a fresh database of the PostgreSQL server (dropped on exit).
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';

const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `hocso_e2e_${process.pid}`;

// The app as `npm run build` makes it: the build, then the embedded database a new data directory starts from and the
// content as rendered, which the specs that start the app on a data directory of their own use, as a first
// `npm start` does.
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);

const client = new pg.Client({ connectionString: admin });
await client.connect();
// Databases left by test runs that were killed (their process is gone) are dropped; others are left alone.
const { rows } = await client.query(`select datname from pg_database where datname ~ '^hocso_(e2e|test)_[0-9]+'`);
for (const { datname } of rows) {
	const pid = Number(/^hocso_(?:e2e|test)_(\d+)/.exec(datname)?.[1]);
	let alive = true;
	try {
		process.kill(pid, 0);
	} catch (e) {
		alive = /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
	}
	if (!alive) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
}
await client.query(`CREATE DATABASE ${name}`);
await client.end();
const url = new URL(admin);
url.pathname = `/${name}`;

const port = process.env.PORT || '4173';
const child = spawn(process.execPath, ['server.js'], {
	stdio: 'inherit',
	env: { ...process.env, DATABASE_URL: url.toString(), ORIGIN: `http://127.0.0.1:${port}`, HOST: '127.0.0.1', PORT: port, HOCSO_E2E: '1', HOCSO_REGISTRATIONS_PER_HOUR: '10000' }
});

async function dropDb() {
	const c = new pg.Client({ connectionString: admin });
	await c.connect();
	await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await c.end();
}

let stopping = false;
async function stop() {
	if (stopping) return;
	stopping = true;
	child.kill('SIGTERM');
	await new Promise((r) => child.once('exit', r));
	await dropDb().catch((e) => console.error(e));
	process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => {
	if (!stopping) dropDb().finally(() => process.exit(code ?? 1));
});
