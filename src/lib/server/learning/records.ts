import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { precompiled, runBound } from '../db/prepared';
import type { Database } from '../db/schema';
import type { CompletionRecordTable } from '../db/schema-learning';
import { courseScore, meetsRule, type CompletionRule, type LessonState } from './completion';
import { newRecordCode } from './record-code';
import { getUnitOption } from '../units/search';
import { completeProgrammesOfUser, countIssuedRecord, uncountRevokedRecord } from '../stats/rollups';
import { lockLearner } from './lock';
import { writeAudit } from '../audit';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * How many of the practices of the lesson's current version (`lesson_version` in the query) the learner has not
 * completed yet: an expression for a select over lesson joined to its current lesson_version.
 */
export function practicesLeftSql(userId: number) {
	return sql<number>`(
		select count(*)::int from jsonb_array_elements_text(coalesce(lesson_version.practice_keys, '[]'::jsonb)) k(key)
		where not exists (
			select 1 from practice_completion pc
			where pc.user_id = ${userId} and pc.lesson_id = lesson.id and pc.practice_key = k.key
		)
	)`;
}

export interface CourseLessonState extends LessonState {
	lessonId: number;
	slug: string;
	title: string;
	position: number;
	updatedAt: Date | null;
}

export interface CourseState {
	courseId: number;
	courseVersionId: number;
	slug: string;
	title: string;
	rule: CompletionRule;
	lessons: CourseLessonState[];
}

type CourseStateRow = {
	course_id: number;
	course_slug: string;
	version_id: number;
	course_title: string;
	meta: unknown;
	lesson_id: number | null;
	lesson_slug: string;
	position: number;
	lesson_title: string;
	question_keys: unknown;
	read_at: Date | null;
	passed_at: Date | null;
	best_score: number | null;
	updated_at: Date | null;
	practices_left: number;
};

/**
 * The statement of loadCourseState: the published course with each of its lessons and the learner's progress in
 * them, one row per lesson (a course without lessons: one row with no lesson); compiled once.
 */
const courseStateRows = precompiled('course_state', 2, (userId: number, courseSlug: string) => sql<CourseStateRow>`
	select c.id as course_id, c.slug as course_slug, cv.id as version_id, cv.title as course_title, cv.meta,
		lesson.id as lesson_id, lesson.slug as lesson_slug, lesson.position, lesson_version.title as lesson_title,
		lesson_version.question_keys, p.read_at, p.passed_at, p.best_score, p.updated_at,
		case when lesson.id is null then 0 else ${practicesLeftSql(userId)} end as practices_left
	from course c
	join course_version cv on cv.id = c.current_version_id
	left join (lesson join lesson_version on lesson_version.id = lesson.current_version_id)
		on lesson.course_id = c.id and lesson.retired_at is null
	left join lesson_progress p on p.lesson_id = lesson.id and p.user_id = ${userId}
	where c.slug = ${courseSlug} and c.retired_at is null
	order by lesson.position
`);

/** loadCourseState's statement with its values, to send with others (runTogether); read the rows with courseStateOf. */
export function courseStateStatement(db: Db, userId: number, courseSlug: string) {
	return courseStateRows.bind(db, userId, courseSlug);
}

/** The course state in the rows of courseStateStatement; undefined when the course is not published. */
export function courseStateOf(rows: CourseStateRow[]): CourseState | undefined {
	const course = rows[0];
	if (!course) return undefined;
	return {
		courseId: course.course_id,
		courseVersionId: course.version_id,
		slug: course.course_slug,
		title: course.course_title,
		rule: ((course.meta as { completion?: CompletionRule }).completion ?? 'all-lessons-and-quizzes') as CompletionRule,
		lessons: rows
			.filter((r) => r.lesson_id !== null)
			.map((r) => ({
				lessonId: r.lesson_id!,
				slug: r.lesson_slug,
				title: r.lesson_title,
				position: r.position,
				hasQuiz: (r.question_keys as string[]).length > 0,
				read: r.read_at !== null,
				passed: r.passed_at !== null,
				bestScore: r.best_score,
				practicesLeft: r.practices_left,
				updatedAt: r.updated_at === null ? null : new Date(r.updated_at)
			}))
	};
}

/**
 * A learner's state in a published course, read from the database alone (course rule and lessons as last
 * published, the learner's progress rows), so it can run inside any transaction without loading content files.
 */
export async function loadCourseState(db: Db, userId: number, courseSlug: string): Promise<CourseState | undefined> {
	return courseStateOf((await runBound(db, courseStateStatement(db, userId, courseSlug))).rows);
}

export interface CompletionRecord {
	id: number;
	code: string;
	userId: number;
	courseId: number;
	courseVersionId: number;
	score: number | null;
	unitId: number | null;
	audience: string | null;
	issuedAt: Date;
	revokedAt: Date | null;
	revokeReason: string | null;
}

const RECORD_COLUMNS = [
	'completion_record.id',
	'completion_record.code',
	'completion_record.user_id',
	'completion_record.course_id',
	'completion_record.course_version_id',
	'completion_record.score',
	'completion_record.unit_id',
	'completion_record.audience',
	'completion_record.issued_at',
	'completion_record.revoked_at',
	'completion_record.revoke_reason'
] as const;

export type RecordRow = Selectable<CompletionRecordTable>;

function toRecord(r: RecordRow): CompletionRecord {
	return {
		id: r.id,
		code: r.code,
		userId: r.user_id,
		courseId: r.course_id,
		courseVersionId: r.course_version_id,
		score: r.score,
		unitId: r.unit_id,
		audience: r.audience,
		issuedAt: r.issued_at,
		revokedAt: r.revoked_at,
		revokeReason: r.revoke_reason
	};
}

interface LearnerFacts {
	kind: string;
	unit_id: number | null;
	audience: string | null;
}

async function learnerFacts(db: Db, userId: number): Promise<LearnerFacts | undefined> {
	// app_user belongs to the accounts area; the columns read here are the ones agreed between the areas.
	const { rows } = await sql<LearnerFacts>`select kind, unit_id, audience from app_user where id = ${userId} and deleted_at is null`.execute(db);
	return rows[0];
}

/** The statement of findRecordOfCourse, compiled once. */
const recordOfCourse = precompiled('record_of_course', 2, (userId: number, courseId: number) => sql<RecordRow>`
	select ${sql.join(RECORD_COLUMNS.map((c) => sql.ref(c)))} from completion_record where user_id = ${userId} and course_id = ${courseId}
`);

/** findRecordOfCourse's statement with its values, to send with others (runTogether); read its row with recordOf. */
export function recordStatement(db: Db, userId: number, courseId: number) {
	return recordOfCourse.bind(db, userId, courseId);
}

/** The record in the rows of recordStatement (or in a record read as JSON, its dates as text), if any. */
export function recordOf(rows: RecordRow[]): CompletionRecord | undefined {
	const row = rows[0];
	return row && toRecord({ ...row, issued_at: new Date(row.issued_at), revoked_at: row.revoked_at === null ? null : new Date(row.revoked_at) });
}

export async function findRecordOfCourse(db: Db, userId: number, courseId: number): Promise<CompletionRecord | undefined> {
	return recordOf((await recordOfCourse.run(db, userId, courseId)).rows);
}

/**
 * Issues the learner's record for the course if its completion rule is now met and they have none; returns the
 * record (new or earlier) or undefined. Guests get no record: theirs is issued when they register or log in
 * (see mergeLearnerData, issuePendingRecords), with the unit of their account. Call inside the transaction that
 * recorded the progress, after lockLearner.
 */
export async function issueRecordIfComplete(
	trx: Transaction<Database>,
	userId: number,
	courseSlug: string,
	opts: { programmes?: boolean } = {}
): Promise<CompletionRecord | undefined> {
	const state = await loadCourseState(trx, userId, courseSlug);
	if (!state) return undefined;
	return issueRecordFor(trx, userId, state, await findRecordOfCourse(trx, userId, state.courseId), opts);
}

/**
 * issueRecordIfComplete with the course state and the learner's record (or undefined) already read in this
 * transaction, after the learner's lock (courseStateStatement and recordStatement sent with other statements).
 */
export async function issueRecordFor(
	trx: Transaction<Database>,
	userId: number,
	state: CourseState,
	existing: CompletionRecord | undefined,
	opts: { programmes?: boolean } = {}
): Promise<CompletionRecord | undefined> {
	if (existing) return existing;
	if (!meetsRule(state.rule, state.lessons)) return undefined;
	const learner = await learnerFacts(trx, userId);
	if (!learner || learner.kind === 'guest') return undefined;
	const values = {
		user_id: userId,
		course_id: state.courseId,
		course_version_id: state.courseVersionId,
		score: courseScore(state.lessons),
		unit_id: learner.unit_id,
		audience: learner.audience
	};
	// Two completions at once: the unique (user, course) lets one insert through. A clash on the code itself
	// (one chance in ~10^14 per pair) also inserts nothing: look and try again with a new code.
	for (let tries = 0; tries < 5; tries++) {
		const row = await trx
			.insertInto('completion_record')
			.values({ ...values, code: newRecordCode() })
			.onConflict((oc) => oc.doNothing())
			.returning(RECORD_COLUMNS)
			.executeTakeFirst();
		if (row) {
			const record = toRecord(row);
			// The unit's counts move with the record, in this transaction: a dashboard sees it as soon as it commits.
			await countIssuedRecord(trx, record, opts);
			return record;
		}
		const other = await findRecordOfCourse(trx, userId, state.courseId);
		if (other) return other;
	}
	throw new Error('Could not find a free record code');
}

/**
 * Issues every record the learner has earned but not received, inside the caller's transaction, after lockLearner:
 * registering (a guest's finished courses) and logging in (a guest's progress merged into the account).
 */
export async function issuePendingRecords(trx: Transaction<Database>, userId: number): Promise<CompletionRecord[]> {
	const courses = await trx
		.selectFrom('lesson_progress')
		.innerJoin('course', 'course.id', 'lesson_progress.course_id')
		.select(['course.id', 'course.slug'])
		.distinct()
		.where('lesson_progress.user_id', '=', userId)
		.where('course.retired_at', 'is', null)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('completion_record')
						.select('completion_record.id')
						.whereRef('completion_record.course_id', '=', 'course.id')
						.where('completion_record.user_id', '=', userId)
				)
			)
		)
		.orderBy('course.id')
		.execute();
	const issued: CompletionRecord[] = [];
	// Courses in id order, programmes after every course: the same lock order as any other issuing transaction.
	for (const c of courses) {
		const r = await issueRecordIfComplete(trx, userId, c.slug, { programmes: false });
		if (r) issued.push(r);
	}
	// Also completes programmes whose last course came with a record moved from a guest (see mergeLearnerData).
	await completeProgrammesOfUser(trx, userId);
	return issued;
}

export interface RecordView extends CompletionRecord {
	courseSlug: string;
	courseTitle: string;
	fullName: string | null;
	unitName: string | null;
}

/** A record with what its pages show: course title as issued, the learner's name, the unit's name. */
export async function findRecordByCode(db: Db, code: string): Promise<RecordView | undefined> {
	const row = await db
		.selectFrom('completion_record')
		.innerJoin('course', 'course.id', 'completion_record.course_id')
		.innerJoin('course_version', 'course_version.id', 'completion_record.course_version_id')
		.select(RECORD_COLUMNS)
		.select(['course.slug as course_slug', 'course_version.title as course_title'])
		.where('completion_record.code', '=', code)
		.executeTakeFirst();
	if (!row) return undefined;
	const { rows } = await sql<{ full_name: string | null }>`select full_name from app_user where id = ${row.user_id}`.execute(db);
	const unit = row.unit_id === null ? undefined : await getUnitOption(db as Kysely<Database>, row.unit_id);
	return {
		...toRecord(row),
		courseSlug: row.course_slug,
		courseTitle: row.course_title,
		fullName: rows[0]?.full_name ?? null,
		// "Xã Vân Canh, tỉnh Gia Lai": the unit the record was issued in, named as it is now known.
		unitName: unit?.label ?? null
	};
}

/** The learner's records, newest first. */
export async function listRecordsOfUser(db: Db, userId: number): Promise<(CompletionRecord & { courseSlug: string; courseTitle: string })[]> {
	const rows = await db
		.selectFrom('completion_record')
		.innerJoin('course', 'course.id', 'completion_record.course_id')
		.innerJoin('course_version', 'course_version.id', 'completion_record.course_version_id')
		.select(RECORD_COLUMNS)
		.select(['course.slug as course_slug', 'course_version.title as course_title'])
		.where('completion_record.user_id', '=', userId)
		.orderBy('completion_record.issued_at', 'desc')
		.execute();
	return rows.map((r) => ({ ...toRecord(r), courseSlug: r.course_slug, courseTitle: r.course_title }));
}

export type RevokeResult = { ok: true; record: CompletionRecord } | { ok: false; reason: 'not-found' | 'already-revoked' | 'no-reason' };

/** Revokes a record with a reason and writes who did it to the audit log. A revoked record stays revoked. */
export async function revokeRecord(db: Kysely<Database>, code: string, reason: string, actorId: number): Promise<RevokeResult> {
	const why = reason.trim();
	if (!why) return { ok: false, reason: 'no-reason' };
	return db.transaction().execute(async (trx) => {
		// The learner's lock keeps a programme from being completed with this record while it is being revoked.
		const owner = await trx.selectFrom('completion_record').select('user_id').where('code', '=', code).executeTakeFirst();
		if (owner) await lockLearner(trx, owner.user_id);
		const row = await trx
			.updateTable('completion_record')
			.set({ revoked_at: sql`now()`, revoke_reason: why })
			.where('code', '=', code)
			.where('revoked_at', 'is', null)
			.returning(RECORD_COLUMNS)
			.executeTakeFirst();
		if (!row) {
			const exists = await trx.selectFrom('completion_record').select('id').where('code', '=', code).executeTakeFirst();
			return { ok: false as const, reason: exists ? ('already-revoked' as const) : ('not-found' as const) };
		}
		await trx.insertInto('record_audit').values({ record_id: row.id, action: 'revoke', reason: why, actor_user_id: actorId }).execute();
		const record = toRecord(row);
		// A revoked record leaves the unit's counts in the same transaction.
		await uncountRevokedRecord(trx, record);
		await writeAudit(trx, { actorUserId: actorId, action: 'record.revoke', unitId: row.unit_id, targetUserId: row.user_id, details: { code, reason: why } });
		return { ok: true as const, record };
	});
}

export interface AuditEntry {
	id: number;
	code: string;
	action: string;
	reason: string | null;
	actorUserId: number | null;
	actorName: string | null;
	at: Date;
}

/** The latest entries of the record audit log, newest first. */
export async function listRecordAudit(db: Db, limit = 100): Promise<AuditEntry[]> {
	const { rows } = await sql<{ id: number; code: string; action: string; reason: string | null; actor_user_id: number | null; actor_name: string | null; at: Date }>`
		select a.id, r.code, a.action, a.reason, a.actor_user_id, coalesce(u.full_name, u.username) as actor_name, a.at
		from record_audit a
		join completion_record r on r.id = a.record_id
		left join app_user u on u.id = a.actor_user_id
		order by a.at desc, a.id desc
		limit ${limit}
	`.execute(db);
	return rows.map((r) => ({ id: r.id, code: r.code, action: r.action, reason: r.reason, actorUserId: r.actor_user_id, actorName: r.actor_name, at: new Date(r.at) }));
}
