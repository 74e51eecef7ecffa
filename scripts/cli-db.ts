// Opens the database a command works on: DATABASE_URL, or the PGlite database in HOCSO_DATA_DIR (default ./data).
// The embedded database takes one process at a time, so while the app runs on the same directory a command cannot
// open it: say so plainly and stop.
import path from 'node:path';
import { connectDatabase, type DbHandle } from '../src/lib/server/db/connect';
import { DataDirLockedError } from '../src/lib/server/db/data-dir-lock';

/** `command` is how the person runs it again, e.g. "npm run units:import -- tinh.csv". */
export async function openDatabaseForCommand(command: string): Promise<DbHandle> {
	const dataDir = process.env.HOCSO_DATA_DIR || 'data';
	try {
		return await connectDatabase({ url: process.env.DATABASE_URL || undefined, dataDir });
	} catch (e) {
		if (e instanceof DataDirLockedError) {
			console.error(
				`Thư mục dữ liệu ${path.resolve(dataDir)} đang được ứng dụng Học Số dùng. Cơ sở dữ liệu nhúng (PGlite) chỉ cho một tiến trình ` +
					`dùng: hãy dừng ứng dụng (Ctrl+C), chạy lại \`${command}\`, rồi khởi động lại ứng dụng.`
			);
		} else {
			console.error(`Không mở được cơ sở dữ liệu: ${(e as Error).message}`);
		}
		process.exit(1);
	}
}
