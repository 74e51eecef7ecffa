import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingStatements, createTestDatabase, testDbKind } from './support/test-db';
import { loadContent } from '../../src/lib/server/content/loader';
import { syncContent } from '../../src/lib/server/content/sync';
import { publishContent } from '../../src/lib/server/content/publication';
import type { DbHandle } from '../../src/lib/server/db';

describe(`content sync (${testDbKind})`, () => {
	let h: DbHandle;
	let root: string;
	const lessonFile = () => path.join(root, 'courses/01-khoa-thu/01-bai-dau.md');

	beforeAll(async () => {
		h = await createTestDatabase();
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-content-'));
		fs.cpSync('tests/fixtures/content-sync', root, { recursive: true });
	});
	afterAll(async () => {
		await h?.close();
		fs.rmSync(root, { recursive: true, force: true });
	});

	test('publishes courses, lessons and questions, and is a no-op when nothing changed', async () => {
		const content = loadContent(root);
		expect(content.problems.filter((p) => p.severity === 'error')).toEqual([]);
		const ids = await syncContent(h.db, content);
		expect(ids.courses.get('khoa-thu')).toBeDefined();
		expect(ids.lessons.get('khoa-thu/bai-dau')).toBeDefined();
		expect(ids.questions.get('khoa-thu/k99-q1')).toBeDefined();
		const again = await syncContent(h.db, loadContent(root));
		expect(again).toEqual(ids);
		const versions = await h.db.selectFrom('lesson_version').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(versions.n)).toBe(2);
	});

	test('an edited lesson keeps its lesson and question ids and gets new versions; old versions stay', async () => {
		const before = await syncContent(h.db, loadContent(root));
		const text = fs.readFileSync(lessonFile(), 'utf8');
		fs.writeFileSync(lessonFile(), text.replace('Điện thoại có nút nguồn.', 'Điện thoại có nút nguồn ở cạnh máy.').replace('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ ~Máy ảnh}'));
		const after = await syncContent(h.db, loadContent(root));

		const lb = before.lessons.get('khoa-thu/bai-dau')!;
		const la = after.lessons.get('khoa-thu/bai-dau')!;
		expect(la.id).toBe(lb.id);
		expect(la.versionId).not.toBe(lb.versionId);
		const q2b = before.questions.get('khoa-thu/k99-q2')!;
		const q2a = after.questions.get('khoa-thu/k99-q2')!;
		expect(q2a.id).toBe(q2b.id);
		expect(q2a.versionId).not.toBe(q2b.versionId);
		// An unchanged question keeps its version.
		expect(after.questions.get('khoa-thu/k99-q1')).toEqual(before.questions.get('khoa-thu/k99-q1'));
		// The course gets a new version; the earlier one is kept for what learners already did.
		expect(after.courses.get('khoa-thu')!.versionId).not.toBe(before.courses.get('khoa-thu')!.versionId);
		const old = await h.db.selectFrom('lesson_version').select('id').where('id', '=', lb.versionId).executeTakeFirst();
		expect(old?.id).toBe(lb.versionId);
	});

	test('a removed lesson or question is retired, not deleted, and comes back with its id', async () => {
		const before = await syncContent(h.db, loadContent(root));
		const second = path.join(root, 'courses/01-khoa-thu/02-bai-sau.md');
		const saved = fs.readFileSync(second, 'utf8');
		fs.rmSync(second);
		const without = await syncContent(h.db, loadContent(root));
		expect(without.lessons.has('khoa-thu/bai-sau')).toBe(false);
		const row = await h.db.selectFrom('lesson').select(['id', 'retired_at']).where('slug', '=', 'bai-sau').executeTakeFirstOrThrow();
		expect(row.retired_at).not.toBeNull();
		fs.writeFileSync(second, saved);
		const back = await syncContent(h.db, loadContent(root));
		expect(back.lessons.get('khoa-thu/bai-sau')!.id).toBe(before.lessons.get('khoa-thu/bai-sau')!.id);
	});

	test('two processes publishing at once make one set of versions', async () => {
		const content = loadContent(root);
		const [a, b] = await Promise.all([syncContent(h.db, content), syncContent(h.db, content)]);
		expect(a).toEqual(b);
	});
});

describe(`publishing content the database already serves (${testDbKind})`, () => {
	let h: DbHandle;
	let root: string;

	beforeAll(async () => {
		h = await createTestDatabase();
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-content-'));
		fs.cpSync('tests/fixtures/content-sync', root, { recursive: true });
	});
	afterAll(async () => {
		await h?.close();
		fs.rmSync(root, { recursive: true, force: true });
	});

	test('a restart on the same files is seen in one query and gets the same ids; a moved lesson is published', async () => {
		const ids = await publishContent(h.db, loadContent(root));
		// Statements sent to the database, counted on their way.
		const { db: counted, count: statements } = countingStatements(h.db);
		const again = await publishContent(counted, loadContent(root));
		expect(again).toEqual(ids);
		// One to see the content is the one published, three for the ids: no lock, no reading of every course.
		expect(statements()).toBe(4);

		// Renaming 01-bai-dau.md to 09-bai-dau.md changes no text, only the lesson's place: it is published.
		const dir = path.join(root, 'courses/01-khoa-thu');
		fs.renameSync(path.join(dir, '01-bai-dau.md'), path.join(dir, '09-bai-dau.md'));
		const moved = loadContent(root);
		const lesson = moved.courses[0].lessons.find((l) => l.slug === 'bai-dau')!;
		await publishContent(h.db, moved);
		const row = await h.db.selectFrom('lesson').select('position').where('id', '=', ids.lessons.get('khoa-thu/bai-dau')!.id).executeTakeFirstOrThrow();
		expect(row.position).toBe(lesson.position);
		const publications = await h.db.selectFrom('content_publication').select('id').execute();
		expect(publications).toHaveLength(2);
	});
});
