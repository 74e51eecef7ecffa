// `npm run build` ends here: prepares build/pgdata-template, the embedded database a new data directory starts
// from (see src/lib/server/db/pgdata-template.ts): every migration applied and the administrative units loaded,
// so that a first `npm start` skips initdb, the migrations and the unit import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { importSeedUnitsIfEmpty } from '../src/lib/server/units/import';

const target = path.resolve(process.argv[2] ?? 'build/pgdata-template');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-template-'));
const started = Date.now();
try {
	const h = await connectDatabase({ dataDir: work });
	await migrateToLatest(h.db);
	await importSeedUnitsIfEmpty(h.db);
	await h.close();
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.cpSync(path.join(work, 'pgdata'), target, { recursive: true });
	console.log(`Cơ sở dữ liệu mẫu cho lần chạy đầu: ${path.relative(process.cwd(), target)} (${Date.now() - started} ms)`);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
