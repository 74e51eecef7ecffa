import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// A PostgreSQL primary and a streaming hot-standby replica of it, started for a test from the PostgreSQL
// installed on this machine (Debian's postgresql package), on free ports, in a directory removed afterwards.
// The server refuses to run as root, so the clusters belong to the `postgres` user when the tests run as root.

function findBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	for (const v of versions) if (fs.existsSync(path.join(root, v, 'bin', 'pg_basebackup'))) return path.join(root, v, 'bin');
	throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
}

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo;
			s.close(() => resolve(port));
		});
	});
}

export interface ReplicaPair {
	primaryUrl: string;
	replicaUrl: string;
	stop(): void;
}

export async function startReplicaPair(): Promise<ReplicaPair> {
	const bin = findBin();
	const asRoot = process.getuid?.() === 0;
	const dir = fs.mkdtempSync('/var/tmp/hocso-replica-');
	fs.chmodSync(dir, 0o755);
	if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
	const run = (cmd: string, args: string[]) => {
		const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { encoding: 'utf8' }) : spawnSync(path.join(bin, cmd), args, { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
	};
	const [p1, p2] = [await freePort(), await freePort()];
	const primary = path.join(dir, 'primary');
	const standby = path.join(dir, 'standby');
	const opts = (port: number) => `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on`;
	// Nothing here must survive a crash of the machine: no fsync of the new files, and the base backup starts from an
	// immediate checkpoint rather than one spread over minutes.
	run('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
	fs.appendFileSync(path.join(primary, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
	run('pg_ctl', ['-D', primary, '-o', opts(p1), '-l', path.join(dir, 'primary.log'), '-w', 'start']);
	const stopAll = () => {
		for (const d of [standby, primary]) {
			if (fs.existsSync(path.join(d, 'postmaster.pid'))) {
				try {
					run('pg_ctl', ['-D', d, '-m', 'immediate', '-w', 'stop']);
				} catch {
					// already stopped
				}
			}
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
		run('pg_ctl', ['-D', standby, '-o', opts(p2), '-l', path.join(dir, 'standby.log'), '-w', 'start']);
	} catch (e) {
		stopAll();
		throw e;
	}
	return { primaryUrl: `postgres://postgres@127.0.0.1:${p1}/postgres`, replicaUrl: `postgres://postgres@127.0.0.1:${p2}/postgres`, stop: stopAll };
}
