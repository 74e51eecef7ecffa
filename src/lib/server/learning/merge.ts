import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { lockLearners } from './lock';
import { issuePendingRecords } from './records';

/**
 * Moves a guest's attempts, progress, practices and assignments to the account they log in to, inside the caller's
 * transaction. Every attempt is kept (the best one counts), progress keeps the earliest read/pass and the best
 * score, and a course never gets a second record: the account's record wins, and a course completed by the
 * merged progress gets its record now, with the account's unit.
 */
export async function mergeLearnerData(trx: Transaction<Database>, fromUserId: number, toUserId: number): Promise<void> {
	if (fromUserId === toUserId) return;
	// A quiz submitted by the guest's session at this moment waits for the merge instead of writing beside it.
	// (Callers that lock rows of these users take the same locks earlier: see lock.ts for the order.)
	await lockLearners(trx, [fromUserId, toUserId]);

	// Submission keys are random per form, so a clash means the same form was sent by both: keep one.
	await sql`
		update quiz_attempt set user_id = ${toUserId}
		where user_id = ${fromUserId}
			and not exists (select 1 from quiz_attempt t where t.user_id = ${toUserId} and t.submission_key = quiz_attempt.submission_key)
	`.execute(trx);
	await trx.deleteFrom('quiz_attempt').where('user_id', '=', fromUserId).execute();

	// LEAST/GREATEST skip nulls: the earliest read and pass, the best score, the latest activity.
	await sql`
		insert into lesson_progress (user_id, lesson_id, course_id, lesson_version_id, read_at, passed_at, best_score, updated_at)
		select ${toUserId}, lesson_id, course_id, lesson_version_id, read_at, passed_at, best_score, updated_at
		from lesson_progress where user_id = ${fromUserId}
		on conflict (user_id, lesson_id) do update set
			read_at = least(lesson_progress.read_at, excluded.read_at),
			passed_at = least(lesson_progress.passed_at, excluded.passed_at),
			best_score = greatest(lesson_progress.best_score, excluded.best_score),
			lesson_version_id = case when excluded.updated_at > lesson_progress.updated_at
				then excluded.lesson_version_id else lesson_progress.lesson_version_id end,
			updated_at = greatest(lesson_progress.updated_at, excluded.updated_at)
	`.execute(trx);
	await trx.deleteFrom('lesson_progress').where('user_id', '=', fromUserId).execute();

	// Practice runs keep their keys (a clash is the same run sent from both: keep one); a practice completed by either
	// stays completed once, at the earliest time.
	await sql`
		update practice_run set user_id = ${toUserId}
		where user_id = ${fromUserId}
			and not exists (select 1 from practice_run t where t.user_id = ${toUserId} and t.run_key = practice_run.run_key)
	`.execute(trx);
	await sql`
		insert into practice_completion (user_id, course_id, lesson_id, practice_key, run_id, completed_at)
		select ${toUserId}, course_id, lesson_id, practice_key, run_id, completed_at from practice_completion where user_id = ${fromUserId}
		on conflict (user_id, lesson_id, practice_key) do update set
			run_id = case when excluded.completed_at < practice_completion.completed_at then excluded.run_id else practice_completion.run_id end,
			completed_at = least(practice_completion.completed_at, excluded.completed_at)
	`.execute(trx);
	await trx.deleteFrom('practice_completion').where('user_id', '=', fromUserId).execute();
	await trx.deleteFrom('practice_run').where('user_id', '=', fromUserId).execute();

	await sql`
		insert into assignment (user_id, course_id, due_at, assigned_by, created_at)
		select ${toUserId}, course_id, due_at, assigned_by, created_at from assignment where user_id = ${fromUserId}
		on conflict (user_id, course_id) do update set due_at = least(assignment.due_at, excluded.due_at)
	`.execute(trx);
	await trx.deleteFrom('assignment').where('user_id', '=', fromUserId).execute();

	// Guests are not issued records, but a record held by the other user moves when the account has none for
	// that course; otherwise it stays where it is, so no learner ever holds two for one course.
	await sql`
		update completion_record set user_id = ${toUserId}
		where user_id = ${fromUserId}
			and not exists (select 1 from completion_record t where t.user_id = ${toUserId} and t.course_id = completion_record.course_id)
	`.execute(trx);

	await issuePendingRecords(trx, toUserId);
}
