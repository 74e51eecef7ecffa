import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createLearner, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { addLeafToScope } from '../../src/lib/server/units/scope';
import { readSpreadsheet, MAX_FILE_BYTES } from '../../src/lib/server/bulk/spreadsheet';
import { checkImportRows, confirmImport, DRAFT_GONE, listImportedPeople, loadDraft, rowsFromSheet, saveDraft, type ImportRow } from '../../src/lib/server/bulk/import';
import { applyUnitAssignments, createUnitAssignment, listUnitAssignments, removeUnitAssignment } from '../../src/lib/server/bulk/unit-assignments';
import { listOverdue, overdueTable } from '../../src/lib/server/bulk/overdue';
import { findResetCode, redeemResetCode, RESET_CODE_UNKNOWN } from '../../src/lib/server/teams/reset';
import { registerVillager } from '../../src/lib/server/teams/assisted';
import { updateProfile } from '../../src/lib/server/auth/profile';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { tableToCsv } from '../../src/lib/server/stats/export';

const ONE = 'khoa-mot-bai';
const PASSWORD = 'mây trắng bay xa';

describe(`officials' bulk work (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let commune: number; // xã Vân Canh, 21994
	let otherCommune: number; // phường Quy Nhơn, 21583
	let hamletA: { id: number; code: string };
	let hamletB: { id: number; code: string };
	let official: number;
	let n = 0;
	let address = 0;

	async function addHamlet(name: string) {
		return h.db.transaction().execute(async (trx) => {
			const code = `21994.9${String(++n).padStart(2, '0')}`;
			const { id } = await trx
				.insertInto('unit')
				.values({ code, name, level: 'hamlet', type: 'thôn', parent_id: commune, search_key: ` thon ${name.toLowerCase()}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			await addLeafToScope(trx, id, commune);
			return { id, code };
		});
	}
	const current = async (code: string) =>
		(await h.db.selectFrom('unit').select('id').where('code', '=', code).where('valid_to', 'is', null).executeTakeFirstOrThrow()).id;
	const csv = (text: string) => new TextEncoder().encode(text);
	async function rowsOf(text: string): Promise<ImportRow[]> {
		const sheet = await readSpreadsheet('ds.csv', csv(text));
		if (!sheet.ok) throw new Error(sheet.message);
		const parsed = rowsFromSheet(sheet.rows);
		if (!parsed.ok) throw new Error(parsed.message);
		return parsed.rows;
	}
	const countUsers = async () => Number((await h.db.selectFrom('app_user').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
	const assignmentsOf = (userId: number) =>
		h.db.selectFrom('assignment').innerJoin('course', 'course.id', 'assignment.course_id').select(['course.slug', 'assignment.due_at', 'assignment.unit_assignment_id']).where('user_id', '=', userId).execute();
	const courseId = async (slug: string) => (await h.db.selectFrom('course').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
	const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

	beforeAll(async () => {
		h = await createTestDatabase();
		await importSeedUnitsIfEmpty(h.db);
		content = await publishFixtureContent(h.db);
		commune = await current('21994');
		otherCommune = await current('21583');
		hamletA = await addHamlet('Làng Hà Văn');
		hamletB = await addHamlet('Làng Kà Bưng');
		official = await createLearner(h.db, { name: 'Cán bộ Vân Canh', unitId: commune, audience: 'civil_servant' });
	});
	afterAll(async () => h?.close());

	test('reads CSV with a byte order mark, semicolons and quoted fields, with the row numbers a spreadsheet shows', async () => {
		const sheet = await readSpreadsheet(
			'danh sach.csv',
			csv('\uFEFFHọ và tên;Số điện thoại hoặc tên đăng nhập;Mã đơn vị;Chức vụ\r\n"Lê Văn; Một";0912 000 101;21994;"Phó ""Chủ tịch"""\r\n\r\nTrần Thị Hai;912000102;;\r\n')
		);
		expect(sheet).toEqual({
			ok: true,
			rows: [
				{ line: 1, cells: ['Họ và tên', 'Số điện thoại hoặc tên đăng nhập', 'Mã đơn vị', 'Chức vụ'] },
				{ line: 2, cells: ['Lê Văn; Một', '0912 000 101', '21994', 'Phó "Chủ tịch"'] },
				{ line: 4, cells: ['Trần Thị Hai', '912000102', '', ''] }
			]
		});
		// Commas, no BOM, headers without diacritics, in another order.
		expect(await rowsOf('ma don vi,ho ten,sdt\n21994,Lê Ba,0912000103\n')).toEqual([{ line: 2, fullName: 'Lê Ba', login: '0912000103', unitCode: '21994', position: '' }]);
	});

	test('reads the first sheet of an XLSX file, phone numbers kept in number cells included', async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Danh sách');
		ws.addRow(['Họ và tên', 'Số điện thoại hoặc tên đăng nhập', 'Mã đơn vị', 'Chức vụ']);
		ws.addRow(['Phạm Văn Bốn', 912000104, '21994', 'Công chức Tư pháp']);
		ws.addRow(['Võ Thị Năm', 'vo.nam', hamletA.code, '']);
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		const sheet = await readSpreadsheet('ds.xlsx', bytes);
		if (!sheet.ok) throw new Error(sheet.message);
		const parsed = rowsFromSheet(sheet.rows);
		expect(parsed).toEqual({
			ok: true,
			rows: [
				{ line: 2, fullName: 'Phạm Văn Bốn', login: '912000104', unitCode: '21994', position: 'Công chức Tư pháp' },
				{ line: 3, fullName: 'Võ Thị Năm', login: 'vo.nam', unitCode: hamletA.code, position: '' }
			]
		});
		const checked = await checkImportRows(h.db, commune, parsed.ok ? parsed.rows : []);
		expect(checked.map((r) => [r.errors, r.value?.phone, r.value?.username])).toEqual([
			[[], '0912000104', null],
			[[], null, 'vo.nam']
		]);
	});

	test('refuses files it cannot read, with a clear message', async () => {
		expect(await readSpreadsheet('ds.csv', new Uint8Array(MAX_FILE_BYTES + 1).fill(65))).toMatchObject({ ok: false, message: expect.stringContaining('Tệp lớn quá') });
		expect(await readSpreadsheet('ds.csv', new Uint8Array([0x48, 0xe0, 0x20, 0x4e, 0x0a, 0x41, 0x0a]))).toMatchObject({ ok: false, message: expect.stringContaining('UTF-8') });
		expect(await readSpreadsheet('ds.xlsx', csv('PK not really a zip'))).toMatchObject({ ok: false, message: expect.stringContaining('XLSX') });
		expect(await readSpreadsheet('ds.csv', csv('Họ và tên,Số điện thoại\n'))).toMatchObject({ ok: false, message: expect.stringContaining('không có người nào') });
		const many = 'Họ và tên,SĐT,Mã đơn vị\n' + Array.from({ length: 1001 }, (_, i) => `Người ${i},,\n`).join('');
		expect(await readSpreadsheet('ds.csv', csv(many))).toMatchObject({ ok: false, message: expect.stringContaining('tối đa 1000 người') });
		const sheet = await readSpreadsheet('ds.csv', csv('Tên,Điện thoại\nA,0912000000\n'));
		expect(sheet.ok && rowsFromSheet(sheet.rows)).toMatchObject({ ok: false, message: expect.stringContaining('"Họ và tên"') });
	});

	test('every row is checked and every problem reported; a list with a bad row creates nobody; fixed, it creates everybody', async () => {
		await createLearner(h.db, { name: 'Đã Có' }).then((id) => h.db.updateTable('app_user').set({ phone: '0912000299' }).where('id', '=', id).execute());
		const bad = await rowsOf(
			[
				'Họ và tên,Số điện thoại hoặc tên đăng nhập,Mã đơn vị,Chức vụ',
				`Nguyễn Văn Đúng,0912000201,${hamletA.code},Trưởng thôn`,
				',0912000202,21994,', // no name
				'Trần Văn Số,12345,21994,', // bad phone
				'Lê Thị Mã,0912000203,99999,', // unknown unit code
				'Phạm Văn Ngoài,0912000204,21583,', // outside the commune
				'Hồ Văn Lặp,0912 000 201,21994,', // same phone as row 2
				'Đinh Văn Có,0912000299,21994,', // account exists
				'Võ Văn Tên,1abc,21994,' // bad username
			].join('\n')
		);
		const checked = await checkImportRows(h.db, commune, bad);
		expect(checked.map((r) => [r.line, r.errors.length])).toEqual([
			[2, 0],
			[3, 1],
			[4, 1],
			[5, 1],
			[6, 1],
			[7, 1],
			[8, 1],
			[9, 1]
		]);
		expect(checked[1].errors[0]).toBe('Thiếu họ và tên.');
		expect(checked[2].errors[0]).toContain('Số điện thoại "12345" chưa đúng');
		expect(checked[3].errors[0]).toContain('Không có đơn vị nào đang hoạt động mang mã "99999"');
		expect(checked[4].errors[0]).toContain('không thuộc Xã Vân Canh');
		expect(checked[5].errors[0]).toBe('Trùng số điện thoại với dòng 2 trong tệp.');
		expect(checked[6].errors[0]).toContain('đã có tài khoản');
		expect(checked[7].errors[0]).toContain('Tên đăng nhập "1abc" chưa đúng');
		expect(checked[0].value).toMatchObject({ fullName: 'Nguyễn Văn Đúng', phone: '0912000201', unitId: hamletA.id, position: 'Trưởng thôn' });

		const users = await countUsers();
		const token = await saveDraft(h.db, { userId: official, unitId: commune, fileName: 'ds.csv', rows: bad });
		const refused = await confirmImport(h.db, { token, userId: official, unitId: commune });
		expect(refused).toMatchObject({ ok: false, message: 'Chưa nhập ai: 7 dòng có lỗi. Hãy sửa trong tệp rồi tải lên lại.' });
		expect(await countUsers()).toBe(users);
		// The list is kept for another look; only its uploader, for this unit, may use it.
		expect(await loadDraft(h.db, { token, userId: official, unitId: commune })).toBeDefined();
		expect(await loadDraft(h.db, { token, userId: official + 1, unitId: commune })).toBeUndefined();
		expect(await loadDraft(h.db, { token, userId: official, unitId: hamletA.id })).toBeUndefined();

		const good = await rowsOf(
			[
				'Họ và tên,Số điện thoại hoặc tên đăng nhập,Mã đơn vị,Chức vụ',
				`Nguyễn Văn Đúng,0912000201,${hamletA.code},Trưởng thôn`,
				'Trần Thị Sửa,0912000202,21994,Công chức Văn hóa - Xã hội',
				`Lê Văn Không Số,le.khongso,${hamletB.code},`,
				'Hà Thị Trống,0912000205,,' // blank unit code: the commune itself
			].join('\n')
		);
		const token2 = await saveDraft(h.db, { userId: official, unitId: commune, fileName: 'ds-sua.csv', rows: good });
		const done = await confirmImport(h.db, { token: token2, userId: official, unitId: commune });
		if (!done.ok) throw new Error(done.message);
		expect(done.people.map((p) => [p.fullName, p.login, p.unitLabel, p.position])).toEqual([
			['Nguyễn Văn Đúng', '0912000201', 'Thôn Làng Hà Văn', 'Trưởng thôn'],
			['Trần Thị Sửa', '0912000202', 'Xã Vân Canh', 'Công chức Văn hóa - Xã hội'],
			['Lê Văn Không Số', 'le.khongso', 'Thôn Làng Kà Bưng', null],
			['Hà Thị Trống', '0912000205', 'Xã Vân Canh', null]
		]);
		expect(await countUsers()).toBe(users + 4);
		const made = await h.db.selectFrom('app_user').selectAll().where('account_import_id', '=', done.importId).orderBy('id').execute();
		expect(made.map((u) => [u.audience, u.password_hash, u.registered_by, u.kind])).toEqual(Array(4).fill(['civil_servant', null, official, 'learner']));
		const codes = await h.db.selectFrom('password_reset_code').select(['purpose', 'code_hash', 'used_at']).where('user_id', 'in', made.map((u) => u.id)).execute();
		expect(codes.map((c) => [c.purpose, c.used_at])).toEqual(Array(4).fill(['setup', null]));
		// Stored hashed: no code in clear in the database.
		expect(codes.map((c) => c.code_hash)).not.toContain(done.people[0].code);
		const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.import').execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_user_id: official, unit_id: commune, details: { importId: done.importId, count: 4, fileName: 'ds-sua.csv' } });
		// Confirmed once: the list is gone, and confirming again creates nothing.
		expect(await confirmImport(h.db, { token: token2, userId: official, unitId: commune })).toEqual({ ok: false, message: DRAFT_GONE });
		expect(await countUsers()).toBe(users + 4);
		const batch = await listImportedPeople(h.db, { importId: done.importId, scopeUnitId: commune });
		expect(batch?.people.map((p) => [p.fullName, p.hasPassword])).toEqual(done.people.map((p) => [p.fullName, false]));
		// The import belongs to the commune: not shown to the pages of a hamlet below it, nor of another commune.
		expect(await listImportedPeople(h.db, { importId: done.importId, scopeUnitId: hamletA.id })).toBeUndefined();
		expect(await listImportedPeople(h.db, { importId: done.importId, scopeUnitId: otherCommune })).toBeUndefined();
	});

	test('someone registering a phone number between preview and confirmation: nobody of the list is created', async () => {
		const rows = await rowsOf(`Họ và tên,Số điện thoại,Mã đơn vị\nMột Người,0912000301,21994\nHai Người,0912000302,21994\n`);
		expect((await checkImportRows(h.db, commune, rows)).every((r) => r.errors.length === 0)).toBe(true);
		const token = await saveDraft(h.db, { userId: official, unitId: commune, fileName: 'ds.csv', rows });
		await createLearner(h.db, { name: 'Nhanh Tay' }).then((id) => h.db.updateTable('app_user').set({ phone: '0912000302' }).where('id', '=', id).execute());
		const users = await countUsers();
		const r = await confirmImport(h.db, { token, userId: official, unitId: commune });
		expect(r).toMatchObject({ ok: false, message: expect.stringContaining('1 dòng có lỗi') });
		expect(r.ok === false && r.rows?.[1].errors[0]).toContain('đã có tài khoản');
		expect(await countUsers()).toBe(users);
		expect(await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000301').executeTakeFirst()).toBeUndefined();
	});

	async function importOne(name: string, login: string, unitCode: string) {
		const rows = await rowsOf(`Họ và tên,Số điện thoại hoặc tên đăng nhập,Mã đơn vị\n${name},${login},${unitCode}\n`);
		const token = await saveDraft(h.db, { userId: official, unitId: commune, fileName: 'mot.csv', rows });
		const r = await confirmImport(h.db, { token, userId: official, unitId: commune });
		if (!r.ok) throw new Error(r.message);
		return r.people[0];
	}

	test('a setup code sets the password once, then logs in; a second use or an expired code is refused', async () => {
		const p = await importOne('Đặng Văn Mã', '0912000401', '21994');
		const found = await findResetCode(h.db, p.code.toLowerCase());
		expect(found).toMatchObject({ user_id: p.userId, purpose: 'setup', setsPin: false });
		expect(p.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
		const redeem = (code: string) => redeemResetCode(h.db, { code, secret: PASSWORD, secretRepeat: PASSWORD, address: `198.51.100.${++address}` });
		expect(await redeem(p.code)).toMatchObject({ ok: true, userId: p.userId });
		expect(await redeem(p.code)).toMatchObject({ ok: false, field: 'code', message: RESET_CODE_UNKNOWN });
		const login = await loginWithPassword(h.db, { identifier: '0912000401', password: PASSWORD, address: `198.51.100.${++address}` });
		expect(login).toMatchObject({ ok: true, userId: p.userId });
		const used = await h.db.selectFrom('audit_log').select('action').where('target_user_id', '=', p.userId).orderBy('id').execute();
		expect(used.map((a) => a.action)).toEqual(['password.setup_code', 'password.setup_used']);

		const q = await importOne('Đặng Thị Hết Hạn', '0912000402', '21994');
		await h.db.updateTable('password_reset_code').set({ expires_at: sql<Date>`now() - interval '1 minute'` }).where('user_id', '=', q.userId).execute();
		expect(await findResetCode(h.db, q.code)).toBeUndefined();
		expect(await redeem(q.code)).toMatchObject({ ok: false, message: RESET_CODE_UNKNOWN });
		expect((await h.db.selectFrom('app_user').select('password_hash').where('id', '=', q.userId).executeTakeFirstOrThrow()).password_hash).toBeNull();
	});

	test('a unit assignment reaches the members of the scope now and whoever joins later; removing it removes what it made', async () => {
		const before = await createLearner(h.db, { name: 'Người Có Sẵn', unitId: hamletA.id, audience: 'civil_servant' });
		const citizen = await createLearner(h.db, { name: 'Người Dân Có Sẵn', unitId: hamletA.id, audience: 'citizen' });
		const outside = await createLearner(h.db, { name: 'Người Phường Khác', unitId: otherCommune, audience: 'civil_servant' });
		const dueAt = inDays(30);
		const created = await createUnitAssignment(h.db, { unitId: commune, subject: { courseId: await courseId(ONE) }, audience: 'civil_servant', dueAt, actorUserId: official });
		expect(created.reached).toBeGreaterThanOrEqual(1);
		expect(await assignmentsOf(before)).toEqual([{ slug: ONE, due_at: dueAt, unit_assignment_id: created.id }]);
		expect(await assignmentsOf(citizen)).toEqual([]);
		expect(await assignmentsOf(outside)).toEqual([]);

		// Later: imported into a hamlet, registered by a team member, moving in on the account page.
		const imported = await importOne('Người Nhập Sau', '0912000501', hamletB.code);
		expect(await assignmentsOf(imported.userId)).toEqual([{ slug: ONE, due_at: dueAt, unit_assignment_id: created.id }]);
		const mover = await createLearner(h.db, { name: 'Người Chuyển Đến', unitId: otherCommune, audience: 'civil_servant' });
		expect(await updateProfile(h.db, mover, { fullName: 'Người Chuyển Đến', unitId: String(hamletB.id) })).toEqual({ ok: true });
		expect(await assignmentsOf(mover)).toEqual([{ slug: ONE, due_at: dueAt, unit_assignment_id: created.id }]);
		await h.db.updateTable('app_user').set({ audience: 'civil_servant' }).where('id', '=', official).execute();

		// A programme: each of its courses; one the person already had keeps its own due date.
		const programme = await h.db.insertInto('programme').values({ name: 'Hai khóa', unit_id: commune, created_by: official }).returning('id').executeTakeFirstOrThrow();
		await h.db.insertInto('programme_course').values(await Promise.all(content.courses.map(async (c) => ({ programme_id: programme.id, course_id: await courseId(c.slug) })))).execute();
		const second = await createUnitAssignment(h.db, { unitId: hamletA.id, subject: { programmeId: programme.id }, audience: null, dueAt: inDays(60), actorUserId: official });
		expect((await assignmentsOf(before)).map((a) => [a.slug, a.unit_assignment_id]).sort()).toEqual(
			content.courses.map((c) => [c.slug, c.slug === ONE ? created.id : second.id]).sort()
		);
		expect((await assignmentsOf(citizen)).length).toBe(content.courses.length);
		const helper = await createLearner(h.db, { name: 'Tổ Viên', unitId: hamletA.id, audience: 'team_member' });
		const villager = await registerVillager(h.db, { fullName: 'Người Dân Đến Sau', birthYear: '1970', phone: '', consent: true, confirmNew: true, unitId: hamletA.id, helperUserId: helper });
		if (!villager.ok) throw new Error(JSON.stringify(villager));
		expect((await assignmentsOf(villager.userId)).map((a) => a.unit_assignment_id)).toEqual(Array(content.courses.length).fill(second.id));
		// Applying again makes nothing twice.
		expect(await applyUnitAssignments(h.db, { userIds: [before, citizen, villager.userId] })).toBe(0);

		const listed = await listUnitAssignments(h.db, commune);
		expect(listed.map((a) => [a.id, a.subject])).toEqual([
			[created.id, 'Khóa một bài'],
			[second.id, 'Chương trình Hai khóa']
		]);
		expect((await listUnitAssignments(h.db, hamletB.id)).map((a) => a.id)).toEqual([]);
		// Only from within the scope: an official of the hamlet cannot remove the commune's.
		expect(await removeUnitAssignment(h.db, { id: created.id, scopeUnitId: hamletB.id, actorUserId: official })).toBe(false);
		expect(await removeUnitAssignment(h.db, { id: second.id, scopeUnitId: commune, actorUserId: official })).toBe(true);
		expect((await assignmentsOf(before)).map((a) => a.slug)).toEqual([ONE]);
		expect(await assignmentsOf(villager.userId)).toEqual([]);
		const audit = await h.db.selectFrom('audit_log').select(['action', 'unit_id']).where('action', 'like', 'unit_assignment.%').orderBy('id').execute();
		expect(audit).toEqual([
			{ action: 'unit_assignment.create', unit_id: commune },
			{ action: 'unit_assignment.create', unit_id: hamletA.id },
			{ action: 'unit_assignment.remove', unit_id: hamletA.id }
		]);
	});

	test('the overdue list holds only people of the scope, past due and without the record; its CSV is the same table', async () => {
		const due = await createUnitAssignment(h.db, { unitId: commune, subject: { courseId: await courseId('khoa-kiem-thu') }, audience: 'citizen', dueAt: inDays(1), actorUserId: official });
		const late = await createLearner(h.db, { name: 'An Trễ Hạn', unitId: hamletA.id });
		const finished = await createLearner(h.db, { name: 'Bình Xong Rồi', unitId: hamletB.id });
		const elsewhere = await createLearner(h.db, { name: 'Châu Phường Khác', unitId: otherCommune });
		await applyUnitAssignments(h.db, { userIds: [late, finished] });
		await h.db.insertInto('assignment').values({ user_id: elsewhere, course_id: await courseId('khoa-kiem-thu'), due_at: inDays(-3) }).execute();
		// Not yet due: nobody is overdue.
		expect((await listOverdue(h.db, { scopeUnitId: commune, unitAssignmentId: due.id })).map((r) => r.fullName)).toEqual([]);
		await h.db.updateTable('assignment').set({ due_at: inDays(-2) }).where('unit_assignment_id', '=', due.id).execute();
		// Finishing the one-lesson course: the assignment of 'khoa-mot-bai' is done (not that of 'khoa-kiem-thu').
		await h.db.insertInto('assignment').values({ user_id: finished, course_id: await courseId(ONE), due_at: inDays(-2) }).execute();
		expect((await listOverdue(h.db, { scopeUnitId: hamletB.id })).filter((r) => r.userId === finished)).toHaveLength(2);
		const q = findQuestions(content, ONE, 'bai-duy-nhat').get('m-1')!;
		await submitQuiz(h.db, { userId: finished, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': answer(q, 'true') } }, content);
		const all = await listOverdue(h.db, { scopeUnitId: commune });
		expect(all.filter((r) => [late, finished, elsewhere].includes(r.userId)).map((r) => [r.fullName, r.unitLabel, r.courseTitle])).toEqual([
			['An Trễ Hạn', 'Thôn Làng Hà Văn', 'Khóa kiểm thử học tập'],
			['Bình Xong Rồi', 'Thôn Làng Kà Bưng', 'Khóa kiểm thử học tập']
		]);
		expect(all.map((r) => r.userId)).not.toContain(elsewhere);
		expect((await listOverdue(h.db, { scopeUnitId: hamletB.id })).map((r) => r.fullName)).not.toContain('An Trễ Hạn');
		expect((await listOverdue(h.db, { scopeUnitId: otherCommune })).map((r) => r.fullName)).toEqual(['Châu Phường Khác']);
		const mine = (await listOverdue(h.db, { scopeUnitId: commune, unitAssignmentId: due.id })).filter((r) => [late, finished].includes(r.userId));
		expect(mine.map((r) => r.fullName)).toEqual(['An Trễ Hạn', 'Bình Xong Rồi']);
		expect(mine[0].lessonsTotal).toBeGreaterThan(0);
		const file = tableToCsv(overdueTable(mine), 'Danh sách quá hạn: Xã Vân Canh');
		expect(file.startsWith('\uFEFFDanh sách quá hạn: Xã Vân Canh\r\nSTT,Họ và tên,Chức vụ,Đơn vị,Khóa học,Hạn hoàn thành,Bài đã học,Tiến độ\r\n1,An Trễ Hạn,,Thôn Làng Hà Văn,Khóa kiểm thử học tập,')).toBe(true);
	});
});
