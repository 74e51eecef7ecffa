import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createTestDatabase, takeServerDatabase, testDbKind } from './support/test-db';
import { runNpmCommand } from './support/cli';
import { connectDatabase, type DbHandle } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrator';
import { seedPgdataFromTemplate } from '../../src/lib/server/db/pgdata-template';
import { countRoleHolders, grantRole, revokeRole } from '../../src/lib/server/auth/roles';
import { findUserByLogin } from '../../src/lib/server/auth/find-user';
import { dataDirInUseMessage, runRoleCommand } from '../../src/lib/server/auth/role-command';
import { DataDirLockedError } from '../../src/lib/server/db/data-dir-lock';
import { anonymizeUser, createGuestUser, getUserById } from '../../src/lib/server/auth/user';

async function addLearner(db: DbHandle['db'], values: { full_name: string; phone?: string; username?: string }) {
	const { id } = await db.insertInto('app_user').values({ kind: 'learner', audience: 'citizen', ...values }).returning('id').executeTakeFirstOrThrow();
	return id;
}

describe(`granting and revoking roles (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase();
	});
	afterAll(async () => h?.close());

	test('a phone number is found in any usual spelling, a username in any case; guests and deleted accounts are not', async () => {
		const id = await addLearner(h.db, { full_name: 'Hà Văn Minh', phone: '0987654321', username: 'ha.minh' });
		for (const typed of ['0987654321', '0987 654 321', '+84 987 654 321', '84987654321', '0987.654.321', 'HA.MINH', ' ha.minh ']) {
			expect((await findUserByLogin(h.db, typed))?.id, typed).toBe(id);
		}
		expect(await findUserByLogin(h.db, '0987654322')).toBeUndefined();
		expect(await findUserByLogin(h.db, 'khong-co-ai')).toBeUndefined();
		expect(await findUserByLogin(h.db, '')).toBeUndefined();
		await createGuestUser(h.db);
		const gone = await addLearner(h.db, { full_name: 'Người đã xóa', phone: '0987000111' });
		await h.db.transaction().execute((trx) => anonymizeUser(trx, gone));
		expect(await findUserByLogin(h.db, '0987000111')).toBeUndefined();
	});

	test('granting twice keeps one role; revoking removes it; the user sees it on their next request', async () => {
		const id = await addLearner(h.db, { full_name: 'Lò Thị Mai', username: 'lomai' });
		const before = await countRoleHolders(h.db, 'admin');
		expect(await grantRole(h.db, id, 'admin')).toBe(true);
		expect(await grantRole(h.db, id, 'admin')).toBe(false);
		expect(await h.db.selectFrom('user_role').select('role').where('user_id', '=', id).execute()).toEqual([{ role: 'admin' }]);
		expect((await getUserById(h.db, id))?.roles).toEqual([{ role: 'admin', unitId: null }]);
		expect((await findUserByLogin(h.db, 'lomai'))?.roles).toEqual([{ role: 'admin', unitId: null }]);
		expect(await countRoleHolders(h.db, 'admin')).toBe(before + 1);
		expect(await revokeRole(h.db, id, 'admin')).toBe(true);
		expect(await revokeRole(h.db, id, 'admin')).toBe(false);
		expect((await getUserById(h.db, id))?.roles).toEqual([]);
		expect(await countRoleHolders(h.db, 'admin')).toBe(before);
	});

	test("an admin's role ends with their account", async () => {
		const id = await addLearner(h.db, { full_name: 'Quản trị tạm', phone: '0987000222' });
		await grantRole(h.db, id, 'admin');
		const before = await countRoleHolders(h.db, 'admin');
		await h.db.transaction().execute((trx) => anonymizeUser(trx, id));
		expect(await countRoleHolders(h.db, 'admin')).toBe(before - 1);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// The command, `npm run user:grant|user:revoke`: what it does, called as functions on a test database, and one run
// of the real command (a new process) that checks the wiring.

describe(`the role command's work (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase();
		await addLearner(h.db, { full_name: 'Trần Văn Quản', phone: '0961234567', username: 'tvquan' });
	});
	afterAll(async () => h?.close());

	const run = (...args: string[]) => runRoleCommand(h.db, args);

	test('grants the role to the account named by phone number, then revokes it by username', async () => {
		const grant = await run('grant', '+84 96 123 4567', 'admin');
		expect(grant.stderr).toEqual([]);
		expect(grant.code).toBe(0);
		expect(grant.stdout.join('\n')).toContain('Đã cấp vai trò quản trị viên cho Trần Văn Quản (0961234567, tvquan).');
		expect((await findUserByLogin(h.db, '0961234567'))?.roles).toEqual([{ role: 'admin', unitId: null }]);
		const again = await run('grant', '0961234567', 'admin');
		expect(again.stdout.join('\n')).toContain('đã có vai trò quản trị viên từ trước: không thay đổi gì.');

		const revoke = await run('revoke', 'TVQuan', 'admin');
		expect(revoke.code).toBe(0);
		expect(revoke.stdout.join('\n')).toContain('Đã thu hồi vai trò quản trị viên của Trần Văn Quản');
		expect(revoke.stdout.join('\n')).toContain('hiện không còn ai có vai trò quản trị viên');
		expect((await findUserByLogin(h.db, '0961234567'))?.roles).toEqual([]);
	});

	test('exits 1 with a message when no account has that phone number or username, or the role is unknown', async () => {
		const missing = await run('grant', '0961234568', 'admin');
		expect(missing.code).toBe(1);
		expect(missing.stderr.join('\n')).toContain('Không tìm thấy tài khoản có số điện thoại hoặc tên đăng nhập "0961234568"');
		const role = await run('grant', '0961234567', 'chu-tich');
		expect(role.code).toBe(1);
		expect(role.stderr.join('\n')).toContain('Không có vai trò "chu-tich"');
		const usage = await run('cap', '0961234567', 'admin');
		expect(usage.code).toBe(1);
		expect(usage.stderr.join('\n')).toContain('Cách dùng:');
		expect((await findUserByLogin(h.db, '0961234567'))?.roles).toEqual([]);
	});

	test('grants and revokes a scoped role by unit code, and writes both to the audit log', async () => {
		const grant = await run('grant', '0961234567', 'official', '21994');
		expect(grant.stderr).toEqual([]);
		expect(grant.code).toBe(0);
		expect(grant.stdout.join('\n')).toContain('Đã cấp vai trò cán bộ quản lý đơn vị của Xã Vân Canh, tỉnh Gia Lai cho Trần Văn Quản');
		const unitId = (await h.db.selectFrom('unit').select('id').where('code', '=', '21994').where('valid_to', 'is', null).executeTakeFirstOrThrow()).id;
		expect((await findUserByLogin(h.db, '0961234567'))?.roles).toEqual([{ role: 'official', unitId }]);
		const noUnit = await run('grant', '0961234567', 'team_member');
		expect(noUnit.code).toBe(1);
		expect(noUnit.stderr.join('\n')).toContain('Vai trò team_member cần mã đơn vị');
		const badUnit = await run('grant', '0961234567', 'trainer', '99999');
		expect(badUnit.code).toBe(1);
		expect(badUnit.stderr.join('\n')).toContain('Không có đơn vị hiện hành nào mã "99999"');
		const adminWithUnit = await run('grant', '0961234567', 'admin', '21994');
		expect(adminWithUnit.code).toBe(1);
		expect(adminWithUnit.stderr.join('\n')).toContain('không kèm mã đơn vị');

		const revoke = await run('revoke', '0961234567', 'official', '21994');
		expect(revoke.code).toBe(0);
		expect(revoke.stdout.join('\n')).toContain('Đã thu hồi vai trò cán bộ quản lý đơn vị của Xã Vân Canh, tỉnh Gia Lai');
		expect((await findUserByLogin(h.db, '0961234567'))?.roles).toEqual([]);
		const audit = await h.db.selectFrom('audit_log').select(['action', 'unit_id', 'actor_user_id', 'details']).where('unit_id', '=', unitId).orderBy('id').execute();
		expect(audit).toEqual([
			{ action: 'role.grant', unit_id: unitId, actor_user_id: null, details: { role: 'official', via: 'cli' } },
			{ action: 'role.revoke', unit_id: unitId, actor_user_id: null, details: { role: 'official', via: 'cli' } }
		]);
	});

	if (testDbKind === 'pglite') {
		test('says to stop the app when the app holds the embedded database', async () => {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-roles-'));
			// The lock as a running app leaves it: another live process (here the one that started the tests) owns it.
			fs.writeFileSync(path.join(dir, 'hocso.lock'), String(process.ppid));
			try {
				const error = await connectDatabase({ dataDir: dir }).catch((e: unknown) => e);
				expect(error).toBeInstanceOf(DataDirLockedError);
				const message = dataDirInUseMessage(dir, (error as Error).message);
				expect(message).toContain(`(PID ${process.ppid})`);
				expect(message).toContain('lệnh này không chạy được khi ứng dụng đang chạy trên cùng thư mục dữ liệu');
				expect(message).toContain('Hãy dừng ứng dụng');
				expect(fs.readdirSync(dir)).toEqual(['hocso.lock']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		});
	}
});

// The command starts vite-node and opens the database: seconds, tens of seconds on a busy machine.
describe(`npm run user:grant, as a command (${testDbKind})`, { timeout: 300_000 }, () => {
	let dbEnv: Record<string, string>;
	/** Opens the command's database for a moment (PGlite allows one process at a time). */
	let open: () => Promise<DbHandle>;
	let cleanup: () => Promise<void>;

	beforeAll(async () => {
		if (testDbKind === 'postgres') {
			const server = await takeServerDatabase();
			dbEnv = { DATABASE_URL: server.url };
			open = () => connectDatabase({ url: server.url });
			cleanup = async () => server.drop();
		} else {
			// The data directory starts as a copy of the migrated template, as a new one does from the build's.
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-roles-'));
			if (!seedPgdataFromTemplate(path.join(dir, 'pgdata'), inject('pgliteTemplateDir'))) throw new Error('no template to copy');
			dbEnv = { HOCSO_DATA_DIR: dir };
			open = () => connectDatabase({ dataDir: dir });
			cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
		}
		const h = await open();
		try {
			await migrateToLatest(h.db);
			await addLearner(h.db, { full_name: 'Trần Văn Quản', phone: '0961234567', username: 'tvquan' });
		} finally {
			await h.close();
		}
	});
	afterAll(async () => cleanup?.());

	test('grants the role to the account named by phone number, and says so', async () => {
		const grant = await runNpmCommand(['user:grant', '--', '+84 96 123 4567', 'admin'], dbEnv);
		expect(grant.stderr).toBe('');
		expect(grant.code).toBe(0);
		expect(grant.stdout).toContain('Đã cấp vai trò quản trị viên cho Trần Văn Quản (0961234567, tvquan).');
		const h = await open();
		try {
			expect((await findUserByLogin(h.db, '0961234567'))?.roles).toEqual([{ role: 'admin', unitId: null }]);
		} finally {
			await h.close();
		}
	});
});
