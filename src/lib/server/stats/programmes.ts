import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { writeAudit } from '../audit';
import { rebuildProgrammeRollups } from './rollups';

type Db = Kysely<Database> | Transaction<Database>;

// A programme is a named set of courses; a learner completes it when every course has a valid record. Targets
// can count a programme instead of one course ("2,000 villagers complete K1 and K2").

export interface Programme {
	id: number;
	name: string;
	unitId: number | null;
	courseIds: number[];
	retired: boolean;
}

export interface CourseChoice {
	id: number;
	title: string;
}

/** Published courses, in catalogue order, to pick from. */
export async function listCourseChoices(db: Db): Promise<CourseChoice[]> {
	return db
		.selectFrom('course')
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.select(['course.id', 'course_version.title'])
		.where('course.retired_at', 'is', null)
		.orderBy('course.position')
		.orderBy('course.id')
		.execute();
}

/** Every programme (retired ones last), with its courses. */
export async function listProgrammes(db: Db, opts: { includeRetired?: boolean } = {}): Promise<Programme[]> {
	let q = db
		.selectFrom('programme as p')
		.select([
			'p.id',
			'p.name',
			'p.unit_id',
			'p.retired_at',
			sql<number[]>`coalesce((select array_agg(pc.course_id order by pc.course_id) from programme_course pc where pc.programme_id = p.id), '{}')`.as('course_ids')
		])
		.orderBy(sql`p.retired_at is not null`)
		.orderBy('p.name');
	if (!opts.includeRetired) q = q.where('p.retired_at', 'is', null);
	const rows = await q.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, unitId: r.unit_id, courseIds: r.course_ids.map(Number), retired: r.retired_at !== null }));
}

export async function getProgramme(db: Db, id: number): Promise<Programme | undefined> {
	return (await listProgrammes(db, { includeRetired: true })).find((p) => p.id === id);
}

export type ProgrammeInput = { name: string; courseIds: number[] };
export type ProgrammeResult = { ok: true; id: number } | { ok: false; message: string };

async function checkInput(db: Db, input: ProgrammeInput, exceptId?: number): Promise<string | null> {
	const name = input.name.trim();
	if (name.length < 3 || name.length > 120) return 'Hãy đặt tên chương trình từ 3 đến 120 ký tự.';
	if (input.courseIds.length < 2) return 'Một chương trình gồm ít nhất hai khóa học. Hãy chọn thêm khóa học.';
	const known = await listCourseChoices(db);
	if (!input.courseIds.every((id) => known.some((c) => c.id === id))) return 'Có khóa học không còn trong danh mục. Hãy chọn lại.';
	let q = db.selectFrom('programme').select('id').where(sql`lower(name)`, '=', name.toLowerCase()).where('retired_at', 'is', null);
	if (exceptId) q = q.where('id', '<>', exceptId);
	if (await q.executeTakeFirst()) return 'Đã có chương trình mang tên này. Hãy chọn tên khác.';
	return null;
}

/**
 * Recounts who completed the programme from the records (an action of an official, not a page view), then its
 * running counts. A completion takes the time and unit of the last of its courses' records.
 */
async function recomputeCompletions(trx: Transaction<Database>, programmeId: number): Promise<void> {
	// Records issued or revoked meanwhile wait until this commits, then count on top of the recount.
	await sql`lock table programme_completion in exclusive mode`.execute(trx);
	await trx.deleteFrom('programme_completion').where('programme_id', '=', programmeId).execute();
	await sql`
		insert into programme_completion (programme_id, user_id, unit_id, audience, completed_at)
		select ${programmeId}, x.user_id, x.unit_id, x.audience, x.issued_at
		from (
			select r.user_id, r.unit_id, r.audience, r.issued_at,
				row_number() over (partition by r.user_id order by r.issued_at desc, r.id desc) as n,
				count(*) over (partition by r.user_id) as done
			from completion_record r
			join programme_course pc on pc.course_id = r.course_id and pc.programme_id = ${programmeId}
			where r.revoked_at is null
		) x
		where x.n = 1 and x.done = (select count(*) from programme_course where programme_id = ${programmeId})
	`.execute(trx);
	await rebuildProgrammeRollups(trx, programmeId);
}

export async function createProgramme(db: Kysely<Database>, input: ProgrammeInput, actor: { userId: number; unitId: number | null }): Promise<ProgrammeResult> {
	const courseIds = [...new Set(input.courseIds)].sort((a, b) => a - b);
	const problem = await checkInput(db, { ...input, courseIds });
	if (problem) return { ok: false, message: problem };
	return db.transaction().execute(async (trx) => {
		const { id } = await trx
			.insertInto('programme')
			.values({ name: input.name.trim(), unit_id: actor.unitId, created_by: actor.userId })
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('programme_course').values(courseIds.map((c) => ({ programme_id: id, course_id: c }))).execute();
		await recomputeCompletions(trx, id);
		await writeAudit(trx, { actorUserId: actor.userId, action: 'programme.create', unitId: actor.unitId, details: { programmeId: id, name: input.name.trim(), courseIds } });
		return { ok: true as const, id };
	});
}

export async function updateProgramme(db: Kysely<Database>, id: number, input: ProgrammeInput, actor: { userId: number; unitId: number | null }): Promise<ProgrammeResult> {
	const courseIds = [...new Set(input.courseIds)].sort((a, b) => a - b);
	const problem = await checkInput(db, { ...input, courseIds }, id);
	if (problem) return { ok: false, message: problem };
	return db.transaction().execute(async (trx) => {
		const before = await getProgramme(trx, id);
		if (!before || before.retired) return { ok: false as const, message: 'Chương trình này không còn.' };
		await trx.updateTable('programme').set({ name: input.name.trim() }).where('id', '=', id).execute();
		await trx.deleteFrom('programme_course').where('programme_id', '=', id).execute();
		await trx.insertInto('programme_course').values(courseIds.map((c) => ({ programme_id: id, course_id: c }))).execute();
		await recomputeCompletions(trx, id);
		await writeAudit(trx, {
			actorUserId: actor.userId,
			action: 'programme.update',
			unitId: before.unitId,
			details: { programmeId: id, before: { name: before.name, courseIds: before.courseIds }, after: { name: input.name.trim(), courseIds } }
		});
		return { ok: true as const, id };
	});
}

/** Retires a programme: no new target can use it; targets that do keep counting. */
export async function retireProgramme(db: Kysely<Database>, id: number, actor: { userId: number }): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const row = await trx.updateTable('programme').set({ retired_at: sql`now()` }).where('id', '=', id).where('retired_at', 'is', null).returning('unit_id').executeTakeFirst();
		if (!row) return false;
		await writeAudit(trx, { actorUserId: actor.userId, action: 'programme.retire', unitId: row.unit_id, details: { programmeId: id } });
		return true;
	});
}
