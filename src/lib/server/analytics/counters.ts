import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { AttemptQuestionResult } from '../db/schema-learning';
import type { GiftQuestion, QuizResponse } from '../content/gift/types';
import { STATS_TIME_ZONE } from '../stats/rollups';
import { answerKey } from './answers';
import { TIME_BOUNDS } from './buckets';
import { precompiled, runBound } from '../db/prepared';

type Db = Kysely<Database> | Transaction<Database>;

// The running counts of the trainers' analytics (see migration 2026_12_02_110000_create_analytics). Each write
// is ONE statement: it moves the learner's lesson_open row and, through data-modifying CTEs, the counts that row
// changed. Guests count nowhere (only app_user.kind = 'learner' gets a row). Counts only ever grow; a learner who
// deletes their account leaves them as they were.

const day = (col: ReturnType<typeof sql>) => sql`(${col} at time zone ${STATS_TIME_ZONE})::date`;
const bounds = sql.raw(`array[${TIME_BOUNDS.join(',')}]::double precision[]`);

/**
 * A logged-in learner opened a lesson page: records the first opening (one insert that does nothing when the
 * lesson was opened before) and counts the learner as started.
 */
export async function countLessonOpened(db: Db, input: { userId: number; lessonId: number; courseId: number }): Promise<void> {
	await sql`
		with up as (
			insert into lesson_open (user_id, lesson_id, course_id, unit_id, opened_at)
			select id, ${input.lessonId}::integer, ${input.courseId}::integer, coalesce(unit_id, 0), now() from app_user where id = ${input.userId} and kind = 'learner'
			on conflict (user_id, lesson_id) do nothing
			returning unit_id, opened_at
		)
		insert into analytics_lesson_day (lesson_id, unit_id, day, course_id, started, read, passed)
		select ${input.lessonId}::integer, unit_id, ${day(sql`opened_at`)}, ${input.courseId}::integer, 1, 0, 0 from up
		on conflict (lesson_id, unit_id, day) do update set started = analytics_lesson_day.started + 1
	`.execute(db);
}

/** What a quiz attempt brings to the question counts (only a learner's first attempt at a lesson counts). */
export interface CountedAttempt {
	/**
	 * The attempt's submission key. The attempt counted is the one stored under it by the same transaction, found in
	 * the statement itself (so that it can be sent together with the statement that stores it; see runTogether):
	 * when that transaction stored none (the key was stored before), nothing is counted.
	 */
	submissionKey: string;
	score: number;
	questions: GiftQuestion[];
	responses: Record<string, QuizResponse>;
	results: Record<string, AttemptQuestionResult>;
}

/** Per question of an attempt: its version, whether it was right, and the wrong answer given. */
export function attemptItems(
	a: Pick<CountedAttempt, 'responses' | 'results'>,
	questionOf: (id: string, r: AttemptQuestionResult) => GiftQuestion | undefined
): { qv: number; correct: number; answer: string | null }[] {
	const out: { qv: number; correct: number; answer: string | null }[] = [];
	for (const [id, r] of Object.entries(a.results)) {
		if (r.state === 'manual') continue; // essays are not graded automatically
		const q = questionOf(id, r);
		const correct = r.state === 'correct' ? 1 : 0;
		out.push({ qv: r.question_version_id, correct, answer: correct || !q ? null : answerKey(q, a.responses[id]) });
	}
	return out;
}

/** The question items of an attempt graded against the lesson's questions as published now. */
export function firstAttemptItems(attempt: Pick<CountedAttempt, 'questions' | 'responses' | 'results'>) {
	const byId = new Map(attempt.questions.map((q) => [q.id, q]));
	return attemptItems(attempt, (id) => byId.get(id));
}

/**
 * Data-modifying CTEs (to put in a WITH list, after the CTE named `source`) that count a first attempt's
 * questions and wrong answers: `source` yields the learner's unit_id and month of opening, one row when the
 * attempt is the learner's first at the lesson and none otherwise. `a.items` is the JSON text of attemptItems.
 * The values are only bound as parameters (a precompiled statement passes stand-ins for them).
 */
export function firstAttemptCounts(source: string, a: { score: unknown; items: unknown }, courseId: unknown) {
	const score = sql`${a.score}::double precision`;
	return sql`
		counted_items as (
			select x.qv, x.correct, x.answer, src.unit_id, src.month
			from ${sql.table(source)} src cross join jsonb_to_recordset(${a.items}::jsonb) as x(qv integer, correct integer, answer text)
		),
		counted_questions as (
			insert into analytics_question (question_version_id, unit_id, month, course_id, answered, correct, sum_score, sum_score_sq, sum_score_correct)
			select qv, unit_id, month, ${courseId}::integer, 1, correct, ${score}, ${score} * ${score}, ${score} * correct
			from counted_items
			on conflict (question_version_id, unit_id, month) do update set
				answered = analytics_question.answered + 1,
				correct = analytics_question.correct + excluded.correct,
				sum_score = analytics_question.sum_score + excluded.sum_score,
				sum_score_sq = analytics_question.sum_score_sq + excluded.sum_score_sq,
				sum_score_correct = analytics_question.sum_score_correct + excluded.sum_score_correct
			returning 1
		),
		counted_answers as (
			insert into analytics_answer (question_version_id, unit_id, month, answer, course_id, learners)
			select qv, unit_id, month, answer, ${courseId}::integer, 1 from counted_items where answer is not null
			on conflict (question_version_id, unit_id, month, answer) do update set learners = analytics_answer.learners + 1
			returning 1
		)`;
}

/**
 * The learner read the lesson (the "finished" button, or a quiz submission, which also reads it) and maybe passed
 * it or made an attempt. Call in the transaction that recorded it, with the learner locked. One statement: it
 * opens the lesson if it was not (counting the learner as started, with no time measured), sets the first read,
 * pass and attempt, and counts what became true now: read and passed in the funnel, the minutes from opening to
 * reading in the histogram, and, for the first attempt, every question and wrong answer.
 */
export async function countLessonProgress(trx: Transaction<Database>, input: LessonProgressInput): Promise<void> {
	await runBound(trx, lessonProgressStatement(trx, input));
}

type LessonProgressInput = { userId: number; lessonId: number; courseId: number; passed: boolean; attempt?: CountedAttempt };

/** countLessonProgress's statement with its values, to send with others (runTogether) in the same transaction. */
export function lessonProgressStatement(trx: Transaction<Database> | Kysely<Database>, input: LessonProgressInput) {
	const { userId, lessonId, courseId, passed, attempt } = input;
	const items = attempt ? firstAttemptItems(attempt) : [];
	return lessonProgressCounts.bind(trx, userId, lessonId, courseId, passed, attempt?.submissionKey ?? null, attempt?.score ?? 0, JSON.stringify(items));
}

/** The statement of countLessonProgress, compiled once (and prepared once per PostgreSQL connection). */
const lessonProgressCounts = precompiled(
	'lesson_progress_counts',
	7,
	(userId: number, lessonId: number, courseId: number, passed: boolean, submissionKey: string | null, score: number, items: string) => sql`
		with mine as (
			select id from quiz_attempt
			where ${submissionKey}::text is not null and user_id = ${userId}::integer and submission_key = ${submissionKey}::text
				and xmin = pg_current_xact_id()::xid
		),
		prev as (select read_at, passed_at, first_attempt_id from lesson_open where user_id = ${userId}::integer and lesson_id = ${lessonId}::integer),
		up as (
			insert into lesson_open (user_id, lesson_id, course_id, unit_id, opened_at, read_at, passed_at, first_attempt_id)
			select id, ${lessonId}::integer, ${courseId}::integer, coalesce(unit_id, 0), now(), now(), case when ${passed}::boolean then now() end, (select id from mine)
			from app_user where id = ${userId} and kind = 'learner' and (${submissionKey}::text is null or exists (select 1 from mine))
			on conflict (user_id, lesson_id) do update set
				read_at = coalesce(lesson_open.read_at, excluded.read_at),
				passed_at = coalesce(lesson_open.passed_at, excluded.passed_at),
				first_attempt_id = coalesce(lesson_open.first_attempt_id, excluded.first_attempt_id)
			returning unit_id, opened_at, (xmax = 0) as fresh
		),
		ev as (
			select up.unit_id, ${day(sql`up.opened_at`)} as day, up.opened_at, up.fresh,
				(select read_at from prev) is null as read_now,
				${passed}::boolean and (select passed_at from prev) is null as passed_now,
				exists (select 1 from mine) and (select first_attempt_id from prev) is null as first_attempt
			from up
		),
		funnel as (
			insert into analytics_lesson_day (lesson_id, unit_id, day, course_id, started, read, passed)
			select ${lessonId}::integer, unit_id, day, ${courseId}::integer, fresh::int, read_now::int, passed_now::int from ev where fresh or read_now or passed_now
			on conflict (lesson_id, unit_id, day) do update set
				started = analytics_lesson_day.started + excluded.started,
				read = analytics_lesson_day.read + excluded.read,
				passed = analytics_lesson_day.passed + excluded.passed
		),
		timing as (
			insert into analytics_lesson_time (lesson_id, unit_id, month, bucket, course_id, learners)
			select ${lessonId}::integer, unit_id, date_trunc('month', day)::date,
				width_bucket((extract(epoch from now() - opened_at) / 60)::double precision, ${bounds}), ${courseId}::integer, 1
			from ev where read_now and not fresh and now() > opened_at
			on conflict (lesson_id, unit_id, month, bucket) do update set learners = analytics_lesson_time.learners + 1
		),
		counted_first as (select unit_id, date_trunc('month', day)::date as month from ev where first_attempt),
		${firstAttemptCounts('counted_first', { score, items }, courseId)}
		select 1
	`
);

const TABLES = ['analytics_lesson_day', 'analytics_lesson_time', 'analytics_question', 'analytics_answer'] as const;

interface QuestionSums {
	question_version_id: number;
	unit_id: number;
	month: string;
	course_id: number;
	answered: number;
	correct: number;
	sum_score: number;
	sum_score_sq: number;
	sum_score_correct: number;
}

/**
 * Every count as it should be, computed from lesson_open and the first attempts it names: the funnel and the
 * times in SQL, the questions and wrong answers here (a wrong answer's key depends on the question's type).
 */
export async function recountAnalytics(db: Db) {
	const funnel = await sql<{ lesson_id: number; unit_id: number; day: string; course_id: number; started: number; read: number; passed: number }>`
		select lesson_id, unit_id, to_char(${day(sql`opened_at`)}, 'YYYY-MM-DD') as day, course_id,
			count(*)::int as started, count(read_at)::int as read, count(passed_at)::int as passed
		from lesson_open group by 1, 2, 3, 4`.execute(db);
	const times = await sql<{ lesson_id: number; unit_id: number; month: string; bucket: number; course_id: number; learners: number }>`
		select lesson_id, unit_id, to_char(date_trunc('month', ${day(sql`opened_at`)}), 'YYYY-MM-DD') as month,
			width_bucket((extract(epoch from read_at - opened_at) / 60)::double precision, ${bounds}) as bucket, course_id, count(*)::int as learners
		from lesson_open where read_at > opened_at group by 1, 2, 3, 4, 5`.execute(db);

	const questions = new Map<string, QuestionSums>();
	const answers = new Map<string, { question_version_id: number; unit_id: number; month: string; answer: string; course_id: number; learners: number }>();
	const data = new Map<number, GiftQuestion>();
	let after = 0;
	for (;;) {
		const { rows } = await sql<{ id: number; unit_id: number; month: string; course_id: number; score: number; responses: Record<string, QuizResponse>; results: Record<string, AttemptQuestionResult> }>`
			select a.id, o.unit_id, to_char(date_trunc('month', ${day(sql`o.opened_at`)}), 'YYYY-MM-DD') as month, o.course_id, a.score, a.responses, a.results
			from lesson_open o join quiz_attempt a on a.id = o.first_attempt_id
			where a.id > ${after} order by a.id limit 2000`.execute(db);
		if (!rows.length) break;
		after = rows[rows.length - 1].id;
		const missing = [...new Set(rows.flatMap((r) => Object.values(r.results).map((x) => x.question_version_id)))].filter((v) => !data.has(v));
		if (missing.length) {
			const versions = await db.selectFrom('question_version').select(['id', 'data']).where('id', 'in', missing).execute();
			for (const v of versions) data.set(v.id, v.data as GiftQuestion);
		}
		for (const r of rows) {
			for (const item of attemptItems(r, (_id, res) => data.get(res.question_version_id))) {
				const key = `${item.qv}|${r.unit_id}|${r.month}`;
				let q = questions.get(key);
				if (!q) {
					q = { question_version_id: item.qv, unit_id: r.unit_id, month: r.month, course_id: r.course_id, answered: 0, correct: 0, sum_score: 0, sum_score_sq: 0, sum_score_correct: 0 };
					questions.set(key, q);
				}
				q.answered++;
				q.correct += item.correct;
				q.sum_score += r.score;
				q.sum_score_sq += r.score * r.score;
				q.sum_score_correct += r.score * item.correct;
				if (item.answer !== null) {
					const akey = `${key}|${item.answer}`;
					const a = answers.get(akey) ?? { question_version_id: item.qv, unit_id: r.unit_id, month: r.month, answer: item.answer, course_id: r.course_id, learners: 0 };
					a.learners++;
					answers.set(akey, a);
				}
			}
		}
	}
	return { funnel: funnel.rows, times: times.rows, questions: [...questions.values()], answers: [...answers.values()] };
}

/** Replaces every count with the recount. Counting in other transactions waits meanwhile. */
export async function rebuildAnalytics(trx: Transaction<Database>): Promise<void> {
	await sql`lock table analytics_lesson_day, analytics_lesson_time, analytics_question, analytics_answer in exclusive mode`.execute(trx);
	for (const t of TABLES) await trx.deleteFrom(t).execute();
	const r = await recountAnalytics(trx);
	const insert = async <T extends (typeof TABLES)[number]>(table: T, rows: object[]) => {
		for (let i = 0; i < rows.length; i += 1000) {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			await trx.insertInto(table).values(rows.slice(i, i + 1000) as any).execute();
		}
	};
	await insert('analytics_lesson_day', r.funnel);
	await insert('analytics_lesson_time', r.times);
	await insert('analytics_question', r.questions);
	await insert('analytics_answer', r.answers);
}

/**
 * Builds the counts once on a database whose lessons were opened before the counts existed (the upgrade: the
 * migration fills lesson_open from lesson_progress). Returns whether it rebuilt. Run at start.
 */
export async function rebuildAnalyticsIfMissing(db: Kysely<Database>): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const { rows } = await sql<{ missing: boolean }>`
			select not exists (select 1 from analytics_lesson_day) and exists (select 1 from lesson_open) as missing`.execute(trx);
		if (!rows[0].missing) return false;
		await rebuildAnalytics(trx);
		return true;
	});
}

/**
 * The stored counts and the recount as sorted lines of text, one per row (rows whose counts are all zero left
 * out): equal when the counts are right.
 */
export async function analyticsSnapshot(db: Db): Promise<{ stored: string[]; recounted: string[] }> {
	const r = await recountAnalytics(db);
	const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
	const line = (table: string, row: object) => `${table} ${JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(v)]))}`;
	const recounted = [
		...r.funnel.map((x) => line('analytics_lesson_day', x)),
		...r.times.map((x) => line('analytics_lesson_time', x)),
		...r.questions.map((x) => line('analytics_question', x)),
		...r.answers.map((x) => line('analytics_answer', x))
	].sort();
	const stored: string[] = [];
	for (const t of TABLES) {
		const dateCol = t === 'analytics_lesson_day' ? 'day' : 'month';
		const { rows } = await sql<Record<string, unknown>>`select t.*, to_char(t.${sql.ref(dateCol)}, 'YYYY-MM-DD') as date_text from ${sql.table(t)} t`.execute(db);
		for (const { date_text, ...row } of rows) stored.push(line(t, { ...row, [dateCol]: date_text }));
	}
	return { stored: stored.sort(), recounted };
}
