// `npm run demo:data`: fills the app's database (DATABASE_URL, or the PGlite database in HOCSO_DATA_DIR) with a
// synthetic but plausible year of learning in three communes of the former Vân Canh district (Gia Lai since
// July 2025), with hamlets, populations, a programme and targets, and prints the logins of two demo officials.
// Never run by `npm start`. With the embedded database the app must be stopped first (one process per data
// directory). Running it again changes nothing and prints the logins again.
import { sql, type Kysely } from 'kysely';
import { openDatabaseForCommand } from './cli-db';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import type { Database } from '../src/lib/server/db/schema';
import { loadContent } from '../src/lib/server/content/loader';
import { syncContent } from '../src/lib/server/content/sync';
import { importSeedUnitsIfEmpty } from '../src/lib/server/units/import';
import { addLeafToScope } from '../src/lib/server/units/scope';
import { unitSearchKey } from '../src/lib/server/units/search-key';
import { hashPassword } from '../src/lib/server/auth/password';
import { grantRole } from '../src/lib/server/auth/roles';
import { newRecordCode } from '../src/lib/server/learning/record-code';
import { countIssuedRecord } from '../src/lib/server/stats/rollups';
import { createProgramme } from '../src/lib/server/stats/programmes';
import { createTarget, setPopulations, setTargetParts, getTarget } from '../src/lib/server/stats/targets';
import { addDays, todayInVietnam } from '../src/lib/server/stats/period';

const PASSWORD = 'hocso-demo-2026';
const LOGINS = [
	{ username: 'demo.xa', name: 'Cán bộ xã Vân Canh (demo)', unitCode: '21994' },
	{ username: 'demo.tinh', name: 'Cán bộ tỉnh Gia Lai (demo)', unitCode: '52' }
];

function stop(message: string): never {
	console.error(message);
	process.exit(1);
}

const h = await openDatabaseForCommand('npm run demo:data');
const db = h.db;

// A small deterministic generator, so two runs on empty databases make the same data.
let seed = 20_250_701;
function rnd(): number {
	seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
	return seed / 2_147_483_648;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Đinh', 'Võ', 'Huỳnh', 'Hồ', 'Đặng', 'Bùi'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thanh', 'Hữu', 'Ngọc'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dung', 'Hà', 'Hải', 'Hoa', 'Hùng', 'Lan', 'Linh', 'Mai', 'Nam', 'Phúc', 'Quang', 'Sương', 'Tâm', 'Thảo', 'Tú', 'Vy', 'Yến'];

async function unitId(db: Kysely<Database>, code: string, current = true): Promise<number> {
	const { rows } = await sql<{ id: number }>`
		select id from unit where code = ${code} and ${current ? sql`valid_to is null` : sql`valid_to is not null`} order by id limit 1`.execute(db);
	if (!rows[0]) stop(`Không tìm thấy đơn vị mã ${code}: danh mục đơn vị chưa được nạp đúng.`);
	return rows[0].id;
}

try {
	await migrateToLatest(db);
	await importSeedUnitsIfEmpty(db);
	const content = loadContent(process.env.HOCSO_CONTENT_DIR || 'content');
	if (content.problems.some((p) => p.severity === 'error')) stop('Nội dung khóa học có lỗi: chạy `npm run content:check` để xem.');
	await syncContent(db, content);

	const existing = await db.selectFrom('app_user').select('id').where('username', '=', LOGINS[0].username).executeTakeFirst();
	if (existing) {
		console.log('Dữ liệu mẫu đã có sẵn trong cơ sở dữ liệu này; không thêm gì.');
	} else {
		const courses = new Map(
			(await db.selectFrom('course').select(['id', 'code', 'current_version_id']).where('retired_at', 'is', null).execute()).map((c) => [c.code, c])
		);
		const today = todayInVietnam();
		const yearAgo = addDays(today, -365);

		// Three communes of 2025 made from the former Vân Canh district, each with its hamlets.
		const communes = [
			// Hamlet names are made up (numbered), not the real ones.
			{ code: '21994', hamlets: ['Thôn 1', 'Thôn 2', 'Thôn 3', 'Làng 4', 'Làng 5'] },
			{ code: '22006', hamlets: ['Làng 1', 'Làng 2', 'Làng 3', 'Thôn 4'] },
			{ code: '21997', hamlets: ['Làng 1', 'Làng 2', 'Thôn 3'] }
		];
		const places: { commune: number; hamlet: number }[] = [];
		const hamletsOf = new Map<number, number[]>();
		for (const c of communes) {
			const communeId = await unitId(db, c.code);
			hamletsOf.set(communeId, []);
			for (const name of c.hamlets) {
				const id = await db.transaction().execute(async (trx) => {
					const type = name.startsWith('Làng') ? 'làng' : 'thôn';
					const bare = name.replace(/^(Làng|Thôn) /, '');
					const row = await trx
						.insertInto('unit')
						.values({ code: `${c.code}-${bare}`, name: bare, level: 'hamlet', type, parent_id: communeId, search_key: unitSearchKey(type, bare) })
						.returning('id')
						.executeTakeFirstOrThrow();
					await addLeafToScope(trx, row.id, communeId);
					return row.id;
				});
				hamletsOf.get(communeId)!.push(id);
				places.push({ commune: communeId, hamlet: id });
			}
		}
		const oldCommunes = (await sql<{ id: number }>`
			select o.id from unit_lineage l join unit o on o.id = l.old_unit_id
			where l.new_unit_id in (${sql.join([...hamletsOf.keys()])}) and o.level = 'commune'`.execute(db)).rows.map((r) => r.id);

		// Officials.
		const passwordHash = await hashPassword(PASSWORD);
		const officials: number[] = [];
		for (const l of LOGINS) {
			const unit = await unitId(db, l.unitCode);
			const { id } = await db
				.insertInto('app_user')
				.values({ kind: 'learner', full_name: l.name, username: l.username, password_hash: passwordHash, audience: 'civil_servant', unit_id: unit, consented_at: new Date() })
				.returning('id')
				.executeTakeFirstOrThrow();
			await grantRole(db, id, 'official', unit);
			officials.push(id);
		}

		// Learners: villagers in hamlets, civil servants at the commune, a few team members.
		const learners: { id: number; audience: 'citizen' | 'civil_servant' | 'team_member'; unit: number; old: number }[] = [];
		for (let i = 0; i < 700; i++) {
			const p = pick(places);
			const r = rnd();
			const audience = r < 0.82 ? 'citizen' : r < 0.95 ? 'civil_servant' : 'team_member';
			const unit = audience === 'civil_servant' ? p.commune : p.hamlet;
			const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
			const { id } = await db
				.insertInto('app_user')
				.values({ kind: 'learner', full_name: name, audience, unit_id: unit, consented_at: new Date(), created_at: `${addDays(yearAgo, Math.floor(rnd() * 300))}T08:00:00+07:00` })
				.returning('id')
				.executeTakeFirstOrThrow();
			learners.push({ id, audience, unit, old: pick(oldCommunes) });
		}

		// Records over the year, more in recent months (the teams got going); a few from early 2025 under the old
		// communes, before the merger.
		const plan: Record<string, string[]> = {
			citizen: ['K1', 'K2', 'K3', 'K4', 'K5'],
			civil_servant: ['K6', 'K1', 'K2', 'K3', 'K5'],
			team_member: ['K1', 'K2', 'K5', 'K3']
		};
		let issued = 0;
		for (const l of learners) {
			const wanted = plan[l.audience];
			const howMany = Math.floor(rnd() * (wanted.length + 1));
			for (let k = 0; k < howMany; k++) {
				const course = courses.get(wanted[k]);
				if (!course?.current_version_id) continue;
				const early = rnd() < 0.12;
				const day = early ? addDays('2025-01-06', Math.floor(rnd() * 170)) : addDays(yearAgo, Math.floor(365 * Math.sqrt(rnd())));
				const at = `${day}T${String(7 + Math.floor(rnd() * 12)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00+07:00`;
				const unit = early ? l.old : l.unit;
				await db.transaction().execute(async (trx) => {
					const row = await trx
						.insertInto('completion_record')
						.values({ code: newRecordCode(), user_id: l.id, course_id: course.id, course_version_id: course.current_version_id!, score: 80 + Math.floor(rnd() * 21), unit_id: unit, audience: l.audience, issued_at: at })
						.onConflict((oc) => oc.doNothing())
						.returning(['issued_at'])
						.executeTakeFirst();
					if (row) await countIssuedRecord(trx, { userId: l.id, courseId: course.id, unitId: unit, audience: l.audience, issuedAt: row.issued_at });
				});
				issued++;
			}
		}

		// Populations, a programme, targets (one broken down onto hamlets), and a target of the former district.
		const [xaOfficial, tinhOfficial] = officials;
		const vanCanh = await unitId(db, '21994');
		for (const [commune, hs] of hamletsOf) {
			let citizens = 0;
			for (const hm of hs) {
				const n = 250 + Math.floor(rnd() * 500);
				citizens += n;
				await setPopulations(db, hm, { citizen: n, team_member: 6 }, xaOfficial);
			}
			await setPopulations(db, commune, { citizen: citizens, civil_servant: 40 + Math.floor(rnd() * 20), team_member: hs.length * 6 }, xaOfficial);
		}
		const programme = await createProgramme(db, { name: 'Kỹ năng số cơ bản (K1 và K2)', courseIds: [courses.get('K1')!.id, courses.get('K2')!.id] }, { userId: tinhOfficial, unitId: await unitId(db, '52') });
		const year = today.slice(0, 4);
		const base = { title: '', audience: null, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, goalPercent: null, goalCount: null };
		const k1 = await createTarget(db, vanCanh, { ...base, kind: 'course', subjectId: courses.get('K1')!.id, audience: 'citizen', goalKind: 'share', goalPercent: 20 }, xaOfficial, 'Người dân học xong "Làm quen điện thoại" (20 % dân số)');
		const k1Target = (await getTarget(db, k1))!;
		await setTargetParts(db, k1Target, hamletsOf.get(vanCanh)!.map((hm) => ({ unitId: hm, goal: 20 })), xaOfficial);
		await createTarget(db, vanCanh, { ...base, kind: 'course', subjectId: courses.get('K6')!.id, audience: 'civil_servant', goalKind: 'share', goalPercent: 100 }, xaOfficial, '100 % cán bộ, công chức hoàn thành K6');
		if (programme.ok) await createTarget(db, vanCanh, { ...base, kind: 'programme', subjectId: programme.id, goalKind: 'count', goalCount: 150 }, xaOfficial, '150 người hoàn thành K1 và K2');
		const district = (await sql<{ id: number }>`select id from unit where level = 'district' and name = 'Vân Canh' order by id limit 1`.execute(db)).rows[0]?.id;
		if (district) {
			const t = await createTarget(db, district, { ...base, periodStart: '2025-01-01', periodEnd: '2025-12-31', kind: 'course', subjectId: courses.get('K1')!.id, goalKind: 'count', goalCount: 300 }, tinhOfficial, 'Huyện Vân Canh: 300 người học xong K1 năm 2025');
			// Set in early 2025, while the district still existed.
			await db.updateTable('target').set({ created_at: '2025-02-10T09:00:00+07:00' }).where('id', '=', t).execute();
		}
		console.log(`Đã tạo ${learners.length} người học, ${issued} giấy chứng nhận, ${places.length} thôn, làng và 4 chỉ tiêu.`);
	}

	for (const l of LOGINS) {
		const unit = await unitId(db, l.unitCode);
		console.log(`Đăng nhập: tên đăng nhập ${l.username}, mật khẩu ${PASSWORD}; rồi mở /don-vi/${unit}/thong-ke (${l.name}).`);
	}
	console.log(`Cán bộ tỉnh xem thêm /don-vi/${await unitId(db, '52')}/huyen-cu (theo huyện cũ).`);
} finally {
	await h.close();
}
