import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentCacheName, loadContentCached, writeContentCache } from './cache';
import { contentSignature } from './publisher';
import { loadContent } from './loader';

const ROOT = 'tests/fixtures/content';

describe('content rendered at build time', () => {
	let dir: string;
	const saved = process.env.HOCSO_CONTENT_CACHE_TEMPLATE;
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-content-cache-'));
	});
	afterAll(() => {
		if (saved === undefined) delete process.env.HOCSO_CONTENT_CACHE_TEMPLATE;
		else process.env.HOCSO_CONTENT_CACHE_TEMPLATE = saved;
		fs.rmSync(dir, { recursive: true, force: true });
	});

	test('a new cache directory starts from the prepared copy when the files are the same, and keeps it', async () => {
		const signature = contentSignature(path.resolve(ROOT));
		const rendered = loadContent(ROOT);
		// A marker only the prepared copy carries: what is returned must come from it, not from rendering.
		const prepared = { ...rendered, courses: rendered.courses.map((c, i) => (i === 0 ? { ...c, title: 'BẢN-DỰNG-SẴN' } : c)) };
		writeContentCache(path.join(dir, 'template'), contentCacheName(ROOT, signature), prepared);
		process.env.HOCSO_CONTENT_CACHE_TEMPLATE = path.join(dir, 'template');

		const cacheDir = path.join(dir, 'data', 'cache');
		expect((await loadContentCached(ROOT, signature, cacheDir)).courses[0].title).toBe('BẢN-DỰNG-SẴN');
		expect(fs.readdirSync(cacheDir)).toEqual([contentCacheName(ROOT, signature)]);
		// Other files (another signature): rendered anew, the prepared copy is not used.
		const other = await loadContentCached(ROOT, `${signature}-changed`, path.join(dir, 'other'));
		expect(other.courses[0].title).toBe(rendered.courses[0].title);
		expect(other.courses[0].title).not.toBe('BẢN-DỰNG-SẴN');
	});
});
