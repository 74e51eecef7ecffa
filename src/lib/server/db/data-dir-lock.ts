import fs from 'node:fs';
import path from 'node:path';

/** Thrown when another live process already holds the data directory. */
export class DataDirLockedError extends Error {}

/** The embedded database could not be opened in its data directory: a message for the person starting the app. */
export class DataDirError extends Error {
	static from(dir: string, cause: unknown): Error {
		if (cause instanceof DataDirLockedError || cause instanceof DataDirError) return cause;
		const code = (cause as { code?: unknown } | null)?.code;
		const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
		const why =
			code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /permission denied|read-only/i.test(detail)
				? 'Thư mục chỉ đọc được hoặc tiến trình không có quyền ghi vào đó. Hãy cấp quyền ghi cho người dùng chạy Học Số.'
				: code === 'ENOSPC' || /no space left/i.test(detail)
					? 'Ổ đĩa đã đầy. Hãy giải phóng chỗ trống.'
					: 'Hãy kiểm tra thư mục còn nguyên vẹn và ghi được.'
		return new DataDirError(
			`Không mở được cơ sở dữ liệu nhúng trong thư mục ${dir}.\n${why}\n` +
				`Hoặc đặt HOCSO_DATA_DIR sang một thư mục khác (hay DATABASE_URL để dùng máy chủ PostgreSQL).\n(Chi tiết: ${detail})`,
			{ cause }
		);
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Takes an exclusive lock on a PGlite data directory. Two processes writing one PGlite directory silently lose
 * writes, so a second process must refuse to start. The lock file holds the owner's PID; a lock left by a process
 * that no longer exists is taken over.
 * Note: the lock is created with link(2), which is atomic, so two processes starting at once cannot both win.
 */
export function lockDataDir(dir: string): () => void {
	fs.mkdirSync(dir, { recursive: true });
	const lockPath = path.join(dir, 'hocso.lock');
	const tmp = `${lockPath}.${process.pid}`;
	fs.writeFileSync(tmp, String(process.pid));
	try {
		for (let tries = 0; tries < 2; tries++) {
			try {
				fs.linkSync(tmp, lockPath);
				break;
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
				const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
				if (owner && owner !== process.pid && isAlive(owner)) {
					throw new DataDirLockedError(
						`Thư mục dữ liệu ${path.resolve(dir)} đang được một tiến trình Học Số khác dùng (PID ${owner}). ` +
							'Hãy dừng tiến trình đó, hoặc đặt HOCSO_DATA_DIR sang thư mục khác, hoặc dùng DATABASE_URL ' +
							'để nhiều tiến trình cùng dùng một máy chủ PostgreSQL.'
					);
				}
				if (owner === process.pid) break;
				fs.rmSync(lockPath, { force: true }); // stale: its owner is gone
				if (tries === 1) throw e;
			}
		}
	} finally {
		fs.rmSync(tmp, { force: true });
	}
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		try {
			if (Number(fs.readFileSync(lockPath, 'utf8').trim()) === process.pid) fs.rmSync(lockPath);
		} catch {
			// already gone
		}
	};
	process.once('exit', release);
	return release;
}
