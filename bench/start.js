// `npm run bench:start`: how long the built app takes to answer on the embedded database (PGlite), and how much
// memory it holds then: on a new data directory (first start) and on the same directory again (restart).
// Each is measured RUNS times on fresh processes; prints the medians and ends with one JSON line. Beside the time
// until the catalog answers it reports the app's CPU time until then, the steadier figure on a shared machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded, cpuSeconds, freePort } from './support.js';

const RUNS = Number(process.env.RUNS || 3);

/** Resident memory of a process, in MB: now and at its peak. */
function memory(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function startOnce(dataDir) {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const started = performance.now();
	const child = spawn(process.execPath, ['server.js'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, HOCSO_DATA_DIR: dataDir, NODE_ENV: 'production' }
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
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bench-start-'));
	try {
		first.push(await startOnce(dir));
		again.push(await startOnce(dir));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
const summary = (runs) => ({ ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMb: median(runs.map((r) => r.rssMb)), peakMb: median(runs.map((r) => r.peakMb)) });
const s1 = summary(first);
const s2 = summary(again);
console.log(`first start: ${s1.ms} ms (app CPU ${s1.cpuMs} ms), ${s1.rssMb} MB resident (peak ${s1.peakMb} MB)`);
console.log(`restart:     ${s2.ms} ms (app CPU ${s2.cpuMs} ms), ${s2.rssMb} MB resident (peak ${s2.peakMb} MB)`);
console.log(JSON.stringify({ runs: RUNS, firstStartMs: s1.ms, firstStartCpuMs: s1.cpuMs, restartCpuMs: s2.cpuMs, firstStartRssMb: s1.rssMb, firstStartPeakMb: s1.peakMb, restartMs: s2.ms, restartRssMb: s2.rssMb, restartPeakMb: s2.peakMb, cpus: os.cpus().length, loadavg: os.loadavg()[0] }));
