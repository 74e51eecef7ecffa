import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

// Running counts of learners per reporting unit, course or programme, audience and day (stat_day) and month
// (stat_month). They change only here, called from the functions that issue and revoke records, inside their
// transaction, so a dashboard read a second later sees the record and never scans completion_record.
//
// Each count is of distinct learners because a learner holds at most one record per course (a unique key) and
// completes a programme at most once (programme_completion's primary key). A record is counted under every
// ancestor_id of unit_scope whose scope holds the record's unit, with unit_scope's partial flag.
//
// Locks: a transaction touches rows in one order, courses before programmes, each statement sorted by key, so two
// transactions issuing records at once wait for each other instead of deadlocking.

/** Days are counted in Vietnam, whatever the server's time zone. */
export const STATS_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export type StatKind = 'course' | 'programme';

/** What moves a count: one learner's record or programme completion. */
export interface CountedEvent {
	kind: StatKind;
	subjectId: number;
	unitId: number | null;
	audience: string | null;
	at: Date;
}

async function bump(db: Db, e: CountedEvent, delta: 1 | -1): Promise<void> {
	if (e.unitId === null) return; // a learner without a unit counts under no unit
	const audience = e.audience ?? '';
	const day = sql`(${e.at}::timestamptz at time zone ${STATS_TIME_ZONE})::date`;
	for (const [table, col, value] of [
		['stat_day', 'day', day],
		['stat_month', 'month', sql`date_trunc('month', ${day})::date`]
	] as const) {
		await sql`
			insert into ${sql.table(table)} (unit_id, kind, subject_id, ${sql.ref(col)}, audience, partial, learners)
			select s.ancestor_id, ${e.kind}, ${e.subjectId}, ${value}, ${audience}, s.partial, ${delta}
			from unit_scope s where s.unit_id = ${e.unitId}
			order by s.ancestor_id
			on conflict (unit_id, kind, subject_id, ${sql.ref(col)}, audience, partial)
			do update set learners = ${sql.table(table)}.learners + excluded.learners
		`.execute(db);
	}
}

interface IssuedRecord {
	userId: number;
	courseId: number;
	unitId: number | null;
	audience: string | null;
	issuedAt: Date;
}

/**
 * Counts a record just issued, and completes the programmes it finishes. Call in the transaction that inserted
 * the record, after lockLearner. With `programmes: false` the caller checks programmes itself afterwards (see
 * completeProgrammesOfUser), which keeps course rows locked before programme rows when it issues several records.
 */
export async function countIssuedRecord(trx: Transaction<Database>, r: IssuedRecord, opts: { programmes?: boolean } = {}): Promise<void> {
	await bump(trx, { kind: 'course', subjectId: r.courseId, unitId: r.unitId, audience: r.audience, at: r.issuedAt }, 1);
	if (opts.programmes !== false) await completeProgrammesOfUser(trx, r.userId, [r.courseId]);
}

/**
 * Takes a revoked record out of the counts, with the programme completions that rested on it. Call in the
 * transaction that revoked it, after lockLearner.
 */
export async function uncountRevokedRecord(trx: Transaction<Database>, r: IssuedRecord): Promise<void> {
	await bump(trx, { kind: 'course', subjectId: r.courseId, unitId: r.unitId, audience: r.audience, at: r.issuedAt }, -1);
	const gone = await trx
		.deleteFrom('programme_completion')
		.where('user_id', '=', r.userId)
		.where('programme_id', 'in', (eb) => eb.selectFrom('programme_course').select('programme_id').where('course_id', '=', r.courseId))
		.returning(['programme_id', 'unit_id', 'audience', 'completed_at'])
		.execute();
	for (const c of gone.sort((a, b) => a.programme_id - b.programme_id)) {
		await bump(trx, { kind: 'programme', subjectId: c.programme_id, unitId: c.unit_id, audience: c.audience, at: c.completed_at }, -1);
	}
}

/**
 * Records the programme completions the learner has reached and not yet been counted for (all courses of the
 * programme with a valid record), optionally only programmes containing one of `courseIds`. The completion
 * takes the time, unit and audience of the last record that completed it.
 */
export async function completeProgrammesOfUser(trx: Transaction<Database>, userId: number, courseIds?: number[]): Promise<void> {
	const { rows } = await sql<{ programme_id: number; unit_id: number | null; audience: string | null; completed_at: Date }>`
		insert into programme_completion (programme_id, user_id, unit_id, audience, completed_at)
		select p.id, ${userId}, last.unit_id, last.audience, last.issued_at
		from programme p
		cross join lateral (
			select count(*) filter (where r.id is null) as missing
			from programme_course pc
			left join completion_record r on r.course_id = pc.course_id and r.user_id = ${userId} and r.revoked_at is null
			where pc.programme_id = p.id
		) m
		cross join lateral (
			select r.unit_id, r.audience, r.issued_at
			from programme_course pc
			join completion_record r on r.course_id = pc.course_id and r.user_id = ${userId} and r.revoked_at is null
			where pc.programme_id = p.id
			order by r.issued_at desc, r.id desc
			limit 1
		) last
		where m.missing = 0
			and not exists (select 1 from programme_completion c where c.programme_id = p.id and c.user_id = ${userId})
			${courseIds ? sql`and exists (select 1 from programme_course x where x.programme_id = p.id and x.course_id in (${sql.join(courseIds)}))` : sql``}
		order by p.id
		on conflict do nothing
		returning programme_id, unit_id, audience, completed_at
	`.execute(trx);
	for (const c of rows) {
		await bump(trx, { kind: 'programme', subjectId: c.programme_id, unitId: c.unit_id, audience: c.audience, at: new Date(c.completed_at) }, 1);
	}
}

/** The set-based count of one kind (course records or programme completions) from the raw rows, as stat_day rows. */
function recountSql(kind: StatKind, grain: 'day' | 'month', programmeId?: number) {
	const day = (col: string) => sql`(${sql.ref(col)} at time zone ${STATS_TIME_ZONE})::date`;
	const events =
		kind === 'course'
			? sql`select r.course_id as subject_id, r.unit_id, coalesce(r.audience, '') as audience, ${day('r.issued_at')} as day
				from completion_record r where r.revoked_at is null and r.unit_id is not null`
			: sql`select c.programme_id as subject_id, c.unit_id, coalesce(c.audience, '') as audience, ${day('c.completed_at')} as day
				from programme_completion c where c.unit_id is not null
				${programmeId === undefined ? sql`` : sql`and c.programme_id = ${programmeId}`}`;
	const bucket = grain === 'day' ? sql`e.day` : sql`date_trunc('month', e.day)::date`;
	return sql`
		select s.ancestor_id as unit_id, ${kind}::text as kind, e.subject_id, ${bucket} as bucket, e.audience, s.partial, count(*)::int as learners
		from (${events}) e
		join unit_scope s on s.unit_id = e.unit_id
		group by s.ancestor_id, e.subject_id, ${bucket}, e.audience, s.partial`;
}

/**
 * Rebuilds every running count from the records and programme completions. Run after the unit tree or its
 * lineage changed for units that already have records (a unit import), and by the tests to check the counts.
 */
export async function rebuildRollups(trx: Transaction<Database>): Promise<void> {
	// Records issued or revoked meanwhile wait, then count on top of the rebuilt rows.
	await sql`lock table stat_day, stat_month in exclusive mode`.execute(trx);
	await trx.deleteFrom('stat_day').execute();
	await trx.deleteFrom('stat_month').execute();
	for (const kind of ['course', 'programme'] as const) {
		await sql`insert into stat_day (unit_id, kind, subject_id, day, audience, partial, learners) ${recountSql(kind, 'day')}`.execute(trx);
		await sql`insert into stat_month (unit_id, kind, subject_id, month, audience, partial, learners) ${recountSql(kind, 'month')}`.execute(trx);
	}
}

/** Rebuilds the counts of one programme (after its courses changed and its completions were recomputed). */
export async function rebuildProgrammeRollups(trx: Transaction<Database>, programmeId: number): Promise<void> {
	for (const [table, grain] of [
		['stat_day', 'day'],
		['stat_month', 'month']
	] as const) {
		await trx.deleteFrom(table).where('kind', '=', 'programme').where('subject_id', '=', programmeId).execute();
		await sql`insert into ${sql.table(table)} (unit_id, kind, subject_id, ${sql.ref(grain)}, audience, partial, learners) ${recountSql('programme', grain, programmeId)}`.execute(
			trx
		);
	}
}

/**
 * Builds the running counts once on a database whose records are older than the counts (an upgrade), or whose
 * units got their scope after the records were issued. Returns whether it rebuilt. Run at start.
 */
export async function rebuildRollupsIfMissing(db: Kysely<Database>): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const { rows } = await sql<{ missing: boolean }>`
			select not exists (select 1 from stat_day) and exists (
				select 1 from completion_record r join unit_scope s on s.unit_id = r.unit_id where r.revoked_at is null
			) as missing`.execute(trx);
		if (!rows[0].missing) return false;
		await rebuildRollups(trx);
		return true;
	});
}

export interface RollupDifference {
	table: 'stat_day' | 'stat_month';
	key: string;
	stored: number;
	recounted: number;
}

/**
 * Compares the running counts with a recount from the raw rows; returns the rows that differ (none when the
 * counts are right). Zero rows left behind by revocations equal a missing row.
 */
export async function compareRollupsWithRecount(db: Db): Promise<RollupDifference[]> {
	const out: RollupDifference[] = [];
	for (const [table, grain] of [
		['stat_day', 'day'],
		['stat_month', 'month']
	] as const) {
		const { rows } = await sql<{ key: string; stored: number | null; recounted: number | null }>`
			with stored as (
				select unit_id, kind, subject_id, ${sql.ref(grain)} as bucket, audience, partial, learners from ${sql.table(table)} where learners <> 0
			), recounted as (
				${recountSql('course', grain)} union all ${recountSql('programme', grain)}
			)
			select concat_ws('/', coalesce(s.unit_id, r.unit_id), coalesce(s.kind, r.kind), coalesce(s.subject_id, r.subject_id),
					to_char(coalesce(s.bucket, r.bucket), 'YYYY-MM-DD'), coalesce(s.audience, r.audience), coalesce(s.partial, r.partial)) as key,
				s.learners as stored, r.learners as recounted
			from stored s
			full join recounted r on r.unit_id = s.unit_id and r.kind = s.kind and r.subject_id = s.subject_id
				and r.bucket = s.bucket and r.audience = s.audience and r.partial = s.partial
			where s.learners is distinct from r.learners
			order by 1
			limit 50
		`.execute(db);
		for (const r of rows) out.push({ table, key: r.key, stored: r.stored ?? 0, recounted: r.recounted ?? 0 });
	}
	return out;
}
