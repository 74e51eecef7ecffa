import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { describeError, logError } from '../../src/lib/server/log';

// A real database error carries the SQL, its parameters (PGlite) and a `detail` quoting the value: none may reach
// the log.
describe('errors in the log carry no SQL parameters or personal data', () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase({ migrate: false });
		await sql`create table person (phone text unique, full_name text)`.execute(h.db);
		await sql`insert into person (phone, full_name) values (${'0912345678'}, ${'Nguyễn Thị Bình'})`.execute(h.db);
	});
	afterAll(() => h.close());

	test('a unique violation: constraint and code kept; phone, name and SQL gone', async () => {
		const error = await sql`insert into person (phone, full_name) values (${'0912345678'}, ${'Nguyễn Thị Bình'})`.execute(h.db).catch((e) => e);
		expect(String(error.detail)).toContain('0912345678'); // the danger is real
		const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			logError('POST /register', new Error('registration failed', { cause: error }));
			const logged = spy.mock.calls.map((c) => c.join(' ')).join('\n');
			expect(logged).toContain('POST /register');
			expect(logged).toContain('[23505]');
			expect(logged).toContain('person_phone_key');
			expect(logged).not.toContain('0912345678');
			expect(logged).not.toContain('Bình');
			expect(logged).not.toMatch(/insert into/i);
		} finally {
			spy.mockRestore();
		}
	});

	test('a value quoted in the message itself is hidden', async () => {
		const error = await sql`select ${'0987654321x'}::int`.execute(h.db).catch((e) => e);
		expect(error.message).toContain('0987654321x');
		const text = describeError(error);
		expect(text).toContain('[22P02]');
		expect(text).not.toContain('0987654321x');
	});
});
