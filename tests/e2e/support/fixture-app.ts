import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo;
			s.close(() => resolve(port));
		});
	});
}

async function adminQuery(sql: string) {
	const c = new pg.Client({ connectionString: PG_ADMIN });
	await c.connect();
	try {
		await c.query(sql);
	} finally {
		await c.end();
	}
}

export interface FixtureApp {
	origin: string;
	dbUrl: string;
	/** What the app has written to stdout and stderr so far. */
	output(): string;
	stop(): Promise<void>;
}

/**
 * The app the suite's web server built, started once more on the small fixture courses (tests/fixtures/content)
 * and a database of its own on the PostgreSQL server, dropped by stop(). `name` keeps databases apart; `env` adds
 * settings.
 * Note: the database name starts with hocso_e2e_<pid>, so a run that was killed is cleaned up by the next one.
 */
export async function startFixtureApp(name: string, env: Record<string, string> = {}): Promise<FixtureApp> {
	const dbName = `hocso_e2e_${process.pid}_${name}`;
	await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
	await adminQuery(`CREATE DATABASE ${dbName}`);
	const url = new URL(PG_ADMIN);
	url.pathname = `/${dbName}`;
	const dbUrl = url.toString();
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['server.js'], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, DATABASE_URL: dbUrl, HOCSO_CONTENT_DIR: path.resolve('tests/fixtures/content'), ...env }
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const stop = async () => {
		if (child.exitCode === null) {
			child.kill('SIGTERM');
			await new Promise((r) => child.once('exit', r));
		}
		await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
	};
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(`${origin}/courses`)).ok) return { origin, dbUrl, output: () => output, stop };
		} catch {
			// not up yet
		}
		if (child.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	await stop();
	throw new Error('the fixture app did not start');
}
