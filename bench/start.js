// `npm run bench:start`: how long the built app takes to answer on the embedded database (PGlite), and how much
// memory it holds then: on a new data directory (first start) and on the same directory again (restart).
// Each is measured RUNS times on fresh processes; prints the medians and ends with one JSON line. Beside the time
// until the catalog answers it reports the app's CPU time until then, the steadier figure on a shared machine.
// BENCH_START_DATABASE=server: the same on a new database of the PostgreSQL server (ADMIN_URL, see support.js)
// instead, where a start also opens the pool's connections and readies them for quiz submissions.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_URL, adminQuery, buildIfNeeded, cpuSeconds, freePort } from './support.js';

const RUNS = Number(process.env.RUNS || 3);
const ON_SERVER = process.env.BENCH_START_DATABASE === 'server';

/** Resident memory of a process, in MB: now and at its peak. */
function memory(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** A database for one first start and its restart: a data directory, or a new database on the server. */
async function newDatabase(i) {
	if (!ON_SERVER) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bench-start-'));
		return { env: { DATABASE_URL: '', HOCSO_DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	const name = `hocso_bench_start_${process.pid}_${i}`;
	await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await adminQuery(`CREATE DATABASE ${name}`);
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return { env: { DATABASE_URL: url.toString() }, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function startOnce(database) {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const started = performance.now();
	const child = spawn(process.execPath, ['server.js'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, NODE_ENV: 'production', ...database.env }
	});
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			const r = await fetch(`${origin}/courses`);
			if (r.ok) break;
		} catch {
			// not listening yet
		}
		if (performance.now() - started > 120_000) throw new Error('no answer in 120 s');
		await new Promise((r) => setTimeout(r, 20));
	}
	const ms = Math.round(performance.now() - started);
	const cpuMs = Math.round((cpuSeconds(child.pid) ?? NaN) * 1000);
	const mem = memory(child.pid);
	child.kill('SIGTERM');
	await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
	return { ms, cpuMs, ...mem };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

buildIfNeeded();
const first = [];
const again = [];
for (let i = 0; i < RUNS; i++) {
	const database = await newDatabase(i);
	try {
		first.push(await startOnce(database));
		again.push(await startOnce(database));
	} finally {
		await database.drop();
	}
}
const summary = (runs) => ({ ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMb: median(runs.map((r) => r.rssMb)), peakMb: median(runs.map((r) => r.peakMb)) });
const s1 = summary(first);
const s2 = summary(again);
if (ON_SERVER) console.log('on a PostgreSQL server (BENCH_START_DATABASE=server):');
console.log(`first start: ${s1.ms} ms (app CPU ${s1.cpuMs} ms), ${s1.rssMb} MB resident (peak ${s1.peakMb} MB)`);
console.log(`restart:     ${s2.ms} ms (app CPU ${s2.cpuMs} ms), ${s2.rssMb} MB resident (peak ${s2.peakMb} MB)`);
console.log(JSON.stringify({ runs: RUNS, database: ON_SERVER ? 'server' : 'embedded', firstStartMs: s1.ms, firstStartCpuMs: s1.cpuMs, restartCpuMs: s2.cpuMs, firstStartRssMb: s1.rssMb, firstStartPeakMb: s1.peakMb, restartMs: s2.ms, restartRssMb: s2.rssMb, restartPeakMb: s2.peakMb, cpus: os.cpus().length, loadavg: os.loadavg()[0] }));
