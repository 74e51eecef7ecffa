// `npm run build` ends here: prepares build/pgdata-template, the embedded database a new data directory starts
// from (see src/lib/server/db/pgdata-template.ts): every migration applied, the administrative units loaded and the
// content of content/ published, so that a first `npm start` skips initdb, the migrations, the unit import and the
// first publication. Beside it, build/content-cache holds that content as this build renders it (see
// src/lib/server/content/cache.ts): a first start on the same files reads it instead of rendering every lesson.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { importSeedUnitsIfEmpty } from '../src/lib/server/units/import';
import { loadContent } from '../src/lib/server/content/loader';
import { contentFolderName, publishContent } from '../src/lib/server/content/publication';
import { contentSignature } from '../src/lib/server/content/publisher';
import { contentCacheName, writeContentCache } from '../src/lib/server/content/cache';
import { dropUnusedDatabases } from '../src/lib/server/db/pgdata-template';

const target = path.resolve(process.argv[2] ?? 'build/pgdata-template');
const cacheTarget = path.join(path.dirname(target), 'content-cache');
const contentRoot = process.env.HOCSO_CONTENT_DIR || 'content';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-template-'));
const started = Date.now();
try {
	const h = await connectDatabase({ dataDir: work });
	await migrateToLatest(h.db);
	await importSeedUnitsIfEmpty(h.db);
	// The content as it is now; files with errors are left to the app's first start, which explains them.
	fs.rmSync(cacheTarget, { recursive: true, force: true });
	const signature = contentSignature(path.resolve(contentRoot));
	const content = loadContent(contentRoot);
	if (!content.problems.some((p) => p.severity === 'error')) {
		// Marked as made from this folder: an app started on another one does not take it for its own last good version.
		await publishContent(h.db, content, { builtFrom: contentFolderName(contentRoot) });
		// The name the built app looks for: it depends on the build's version, which the client build wrote down.
		const versionFile = path.join(path.dirname(target), 'client', '_app', 'version.json');
		if (fs.existsSync(versionFile)) {
			const { version } = JSON.parse(fs.readFileSync(versionFile, 'utf8')) as { version: string };
			writeContentCache(cacheTarget, contentCacheName(contentRoot, signature, version), content);
		}
	}
	await dropUnusedDatabases(h.db);
	await h.close();
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.cpSync(path.join(work, 'pgdata'), target, { recursive: true });
	console.log(`Cơ sở dữ liệu mẫu cho lần chạy đầu: ${path.relative(process.cwd(), target)} (${Date.now() - started} ms)`);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
