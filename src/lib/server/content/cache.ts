import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { createHash } from 'node:crypto';
import { version } from '$app/environment';
import type { Content } from './loader';

/**
 * loadContent, remembered on disk between starts: rendering every lesson (Markdown, sanitising, GIFT) is most of
 * a restart's work, and its result depends only on the files and on this build. `signature` (the publisher's
 * contentSignature: every file's path, size and modification time) and the build version make the key; a change to
 * either renders anew. Content with errors is never cached (it is checked anew on every start). The cache lives in
 * HOCSO_CACHE_DIR (default: `cache/` in HOCSO_DATA_DIR) and can be deleted at any time.
 * The renderer (Markdown, the sanitiser, YAML and their packages) is loaded only when it is needed: a start that
 * finds its content here does without it.
 */
export async function loadContentCached(root: string, signature: string, cacheDir = defaultCacheDir()): Promise<Content> {
	const loadContent = async (dir: string) => (await import('./loader')).loadContent(dir);
	if (!cacheDir) return loadContent(root);
	const name = contentCacheName(root, signature);
	const file = path.join(cacheDir, name);
	// A new data directory: the content as rendered when the app was built, if the files are still the same.
	const prepared = process.env.HOCSO_CONTENT_CACHE_TEMPLATE && path.join(process.env.HOCSO_CONTENT_CACHE_TEMPLATE, name);
	for (const candidate of prepared ? [file, prepared] : [file]) {
		try {
			if (fs.existsSync(candidate)) {
				const content = v8.deserialize(fs.readFileSync(candidate)) as Content;
				if (candidate !== file) writeContentCache(cacheDir, name, content);
				return content;
			}
		} catch {
			// An unreadable cache only costs the rendering below.
		}
	}
	const content = await loadContent(root);
	if (!content.problems.some((p) => p.severity === 'error')) writeContentCache(cacheDir, name, content);
	return content;
}

/** The cache file's name for these files (see contentSignature) rendered by this build (`buildVersion`). */
export function contentCacheName(root: string, signature: string, buildVersion = version): string {
	const key = createHash('sha256').update(`${buildVersion}\n${path.resolve(root)}\n${signature}`).digest('hex').slice(0, 32);
	return `content-${key}.v8`;
}

/** Stores rendered content under `name` in `cacheDir`, replacing any older one; a failure is only a warning. */
export function writeContentCache(cacheDir: string, name: string, content: Content): void {
	const file = path.join(cacheDir, name);
	try {
		fs.mkdirSync(cacheDir, { recursive: true });
		for (const old of fs.readdirSync(cacheDir)) if (/^content-[0-9a-f]+\.v8(\.tmp)?$/.test(old)) fs.rmSync(path.join(cacheDir, old), { force: true });
		fs.writeFileSync(`${file}.tmp`, v8.serialize(content));
		fs.renameSync(`${file}.tmp`, file);
	} catch (e) {
		console.warn(`Không ghi được bộ nhớ đệm nội dung (${(e as Error).message}); lần khởi động sau sẽ dựng lại nội dung.`);
	}
}

/** HOCSO_CACHE_DIR, else `cache/` in the data directory; none for an in-memory database (tests). */
function defaultCacheDir(): string | null {
	if (process.env.HOCSO_CACHE_DIR) return process.env.HOCSO_CACHE_DIR;
	const dataDir = process.env.HOCSO_DATA_DIR || 'data';
	return dataDir === 'memory' ? null : path.join(dataDir, 'cache');
}
