import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface PracticeStatsFilter {
	courseId: number;
	/** Only learners whose unit lies in this unit's scope (itself, below it, and what flowed into it). */
	unitId?: number;
	/** Runs started from this day (inclusive) to `to` (exclusive), as 'YYYY-MM-DD' in Vietnam time. */
	from?: string;
	to?: string;
}

export interface StepStats {
	step: string;
	/** Runs that reached the step. */
	reached: number;
	/** Mean wrong taps (and refused entries) on the step, per run that reached it. */
	meanWrong: number;
	/** Share (0-1) of those runs with at least one wrong tap on the step. */
	shareWithWrong: number;
}

export interface PracticeStats {
	lessonId: number;
	practiceKey: string;
	started: number;
	completed: number;
	learners: number;
	learnersCompleted: number;
	steps: Map<string, StepStats>;
}

/**
 * Runs of every practice of a course, counted from practice_run: runs started and completed, learners, and for each
 * step the runs that reached it, the mean wrong taps there and the share with at least one. Aggregates only.
 */
export async function practiceStats(db: Kysely<Database>, f: PracticeStatsFilter): Promise<Map<string, PracticeStats>> {
	const where = sql.join(
		[
			sql`r.course_id = ${f.courseId}`,
			...(f.unitId !== undefined ? [sql`u.unit_id in (select unit_id from unit_scope where ancestor_id = ${f.unitId})`] : []),
			...(f.from ? [sql`r.started_at >= (${f.from}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')`] : []),
			...(f.to ? [sql`r.started_at < ((${f.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')`] : [])
		],
		sql` and `
	);
	const runs = sql`select r.* from practice_run r join app_user u on u.id = r.user_id where ${where}`;
	const [totals, steps] = await Promise.all([
		sql<{ lesson_id: number; practice_key: string; started: number; completed: number; learners: number; learners_completed: number }>`
			with runs as (${runs})
			select lesson_id, practice_key, count(*)::int as started, count(completed_at)::int as completed,
				count(distinct user_id)::int as learners, count(distinct user_id) filter (where completed_at is not null)::int as learners_completed
			from runs group by lesson_id, practice_key`.execute(db),
		sql<{ lesson_id: number; practice_key: string; step: string; reached: number; mean_wrong: number; with_wrong: number }>`
			with runs as (${runs})
			select lesson_id, practice_key, s.key as step, count(*)::int as reached,
				avg(s.value::int)::float8 as mean_wrong, count(*) filter (where s.value::int >= 1)::int as with_wrong
			from runs cross join lateral jsonb_each_text(runs.steps) s
			group by lesson_id, practice_key, s.key`.execute(db)
	]);
	const out = new Map<string, PracticeStats>();
	const keyOf = (lessonId: number, practiceKey: string) => `${lessonId}/${practiceKey}`;
	for (const t of totals.rows) {
		out.set(keyOf(t.lesson_id, t.practice_key), {
			lessonId: t.lesson_id,
			practiceKey: t.practice_key,
			started: t.started,
			completed: t.completed,
			learners: t.learners,
			learnersCompleted: t.learners_completed,
			steps: new Map()
		});
	}
	for (const s of steps.rows) {
		out.get(keyOf(s.lesson_id, s.practice_key))?.steps.set(s.step, {
			step: s.step,
			reached: s.reached,
			meanWrong: Number(s.mean_wrong),
			shareWithWrong: s.reached ? s.with_wrong / s.reached : 0
		});
	}
	return out;
}
