import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { ContentPublisher } from '../../src/lib/server/content/publisher';
import { ContentError } from '../../src/lib/server/content/problems';
import { loadContent } from '../../src/lib/server/content/loader';
import { contentFolderName, publishContent } from '../../src/lib/server/content/publication';
import type { DbHandle } from '../../src/lib/server/db';

const LESSON = 'courses/01-khoa-thu/01-bai-dau.md';

function title(content: { courses: { lessons: { slug: string; title: string }[] }[] }): string | undefined {
	return content.courses[0]?.lessons.find((l) => l.slug === 'bai-dau')?.title;
}

describe(`publishing content without a restart (${testDbKind})`, () => {
	let h: DbHandle;
	let root: string;
	const logged: string[] = [];
	const make = (db = h, opts: { awaitChanges?: boolean } = {}) =>
		new ContentPublisher({ root, db: async () => db.db, log: { info: (m) => logged.push(m), error: (m) => logged.push(m) }, ...opts });
	const edit = (from: string, to: string) => {
		const file = path.join(root, LESSON);
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
	};

	beforeAll(async () => {
		h = await createTestDatabase();
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-publish-'));
		fs.cpSync('tests/fixtures/content-sync', root, { recursive: true });
	});
	afterAll(async () => {
		await h?.close();
		fs.rmSync(root, { recursive: true, force: true });
	});

	test('a valid change is published by reload(), replacing what is served', async () => {
		const p = make();
		const first = await p.current();
		expect(title(first)).toBe('Bài đầu');
		expect(p.status()).toMatchObject({ source: 'files', stale: false, errorCount: 0 });
		edit('title: Bài đầu', 'title: Bài đầu (sửa)');
		const status = await p.reload();
		expect(status.stale).toBe(false);
		const now = await p.current();
		expect(title(now)).toBe('Bài đầu (sửa)');
		expect(now.ids.lessons.get('khoa-thu/bai-dau')!.versionId).not.toBe(first.ids.lessons.get('khoa-thu/bai-dau')!.versionId);
		expect(logged.at(-1)).toContain('Đã xuất bản nội dung');
	});

	test('an invalid change keeps the last good version online and reports the errors with file and line', async () => {
		const p = make();
		expect(title(await p.current())).toBe('Bài đầu (sửa)');
		edit('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ');
		const status = await p.reload();
		expect(status.stale).toBe(true);
		expect(status.errorCount).toBeGreaterThan(0);
		const problem = status.problems.find((q) => q.severity === 'error')!;
		expect(problem.file).toMatch(/01-bai-dau\.md$/);
		expect(problem.line).toBe(15);
		expect(title(await p.current())).toBe('Bài đầu (sửa)');
		expect(logged.at(-1)).toMatch(/có 1 lỗi nên chưa được xuất bản[\s\S]*01-bai-dau\.md:15:/);
	});

	test('starting on files with errors serves the version last published in the database', async () => {
		const p = make();
		const content = await p.current();
		expect(title(content)).toBe('Bài đầu (sửa)');
		expect(content.courses[0].lessons[0].html).toContain('Điện thoại có nút nguồn');
		expect(content.ids.lessons.get('khoa-thu/bai-dau')).toBeDefined();
		expect(p.status()).toMatchObject({ source: 'database', stale: true, errorCount: 1 });
		expect(p.status().publishedAt).toBeInstanceOf(Date);
		// Fixing the file publishes it.
		edit('{=Cài đặt ~Danh bạ', '{=Cài đặt ~Danh bạ}');
		expect((await p.reload()).stale).toBe(false);
		expect(p.status().source).toBe('files');
	});

	test('starting on files with errors and nothing ever published refuses with the file and line', async () => {
		const fresh = await createTestDatabase();
		try {
			edit('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ');
			const p = make(fresh);
			const err = await p.current().catch((e) => e);
			expect(err).toBeInstanceOf(ContentError);
			expect((err as Error).message).toMatch(/01-bai-dau\.md:15:/);
		} finally {
			edit('{=Cài đặt ~Danh bạ', '{=Cài đặt ~Danh bạ}');
			await fresh.close();
		}
	});

	test('the publication made at build time (a new embedded database starts with it) counts only for the folder it was made from', async () => {
		// As scripts/pglite-template.ts does at build time, once from another folder and once from this one.
		const fromElsewhere = await createTestDatabase();
		const fromHere = await createTestDatabase();
		try {
			const built = loadContent(root);
			await publishContent(fromElsewhere.db, built, { builtFrom: 'content' });
			await publishContent(fromHere.db, built, { builtFrom: contentFolderName(root) });
			edit('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ');
			const err = await make(fromElsewhere).current().catch((e) => e);
			expect(err).toBeInstanceOf(ContentError);
			expect((err as Error).message).toMatch(/01-bai-dau\.md:15:/);
			const p = make(fromHere);
			expect(title(await p.current())).toBe(title(built));
			expect(p.status()).toMatchObject({ source: 'database', stale: true, errorCount: 1 });
		} finally {
			edit('{=Cài đặt ~Danh bạ', '{=Cài đặt ~Danh bạ}');
			await fromElsewhere.close();
			await fromHere.close();
		}
	});

	test('watching: a saved file is published within seconds, with no reload asked for', async () => {
		const p = make();
		await p.current();
		p.watch(200);
		try {
			edit('title: Bài đầu (sửa)', 'title: Bài đầu (tự xuất bản)');
			const deadline = Date.now() + 10_000;
			while (Date.now() < deadline && title(await p.current()) !== 'Bài đầu (tự xuất bản)') await new Promise((r) => setTimeout(r, 100));
			expect(title(await p.current())).toBe('Bài đầu (tự xuất bản)');
		} finally {
			p.close();
		}
	});

	test('in development a request made after a save waits for the new version', async () => {
		const p = make(h, { awaitChanges: true });
		await p.current();
		p.watch(60_000);
		try {
			edit('title: Bài đầu (tự xuất bản)', 'title: Bài đầu (bản nháp)');
			// File events arrive on the next turns of the event loop.
			await new Promise((r) => setTimeout(r, 50));
			expect(title(await p.current())).toBe('Bài đầu (bản nháp)');
		} finally {
			p.close();
		}
	});

	test('reloads asked for together run once, one after another, never at the same time', async () => {
		const p = make();
		await p.current();
		const [a, b, c] = await Promise.all([p.reload(), p.reload(), p.reload()]);
		expect(a).toBe(b);
		expect(c).toBe(b);
		const publications = await h.db.selectFrom('content_publication').select('id').execute();
		expect(publications.length).toBeLessThanOrEqual(6);
	});
});
