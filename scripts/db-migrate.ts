// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the PGlite database in HOCSO_DATA_DIR.
import { connectDatabase } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrator';

const h = await connectDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.HOCSO_DATA_DIR || 'data' });
try {
	const applied = await migrateToLatest(h.db);
	console.log(applied.length ? `Đã áp dụng ${applied.length} migration:\n  ${applied.join('\n  ')}` : 'Cơ sở dữ liệu đã ở phiên bản mới nhất.');
} catch (e) {
	console.error((e as Error).message);
	process.exitCode = 1;
} finally {
	await h.close();
}
