/**
 * Running app processes note themselves in `<HOCSO_DATA_DIR>/run/<pid>.json` with their content folder and
 * publishing status, so that `npm run content:publish` can find them, ask them to reload (SIGHUP) and report
 * what they published.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContentStatus } from './publisher';

export interface AppRunFile {
	pid: number;
	contentDir: string;
	status: ContentStatus;
}

export function runDir(dataDir = process.env.HOCSO_DATA_DIR || 'data'): string {
	return path.resolve(dataDir, 'run');
}

export function writeRunFile(dir: string, entry: AppRunFile): void {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${entry.pid}.json`);
	// Written then renamed, so a reader never sees half a file.
	fs.writeFileSync(`${file}.tmp`, JSON.stringify(entry));
	fs.renameSync(`${file}.tmp`, file);
}

export function removeRunFile(dir: string, pid: number): void {
	fs.rmSync(path.join(dir, `${pid}.json`), { force: true });
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The app processes still running that noted themselves in `dir`; files of processes gone are removed. */
export function listRunningApps(dir: string): AppRunFile[] {
	let names: string[];
	try {
		names = fs.readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
	} catch {
		return [];
	}
	const out: AppRunFile[] = [];
	for (const name of names) {
		const pid = Number(name.slice(0, -5));
		if (!alive(pid)) {
			removeRunFile(dir, pid);
			continue;
		}
		try {
			out.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as AppRunFile);
		} catch {
			// being rewritten: skipped this time
		}
	}
	return out;
}
