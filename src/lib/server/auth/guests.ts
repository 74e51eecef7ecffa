import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { tryLearnerLock } from '$lib/server/learning/lock';

/** A guest with no visit, attempt or progress for this long is removed, with everything it did. */
export const GUEST_IDLE_DAYS = 30;

const BATCH = 1000;

/**
 * Removes guests idle for `idleDays`: created before then, with no session still valid (a session lives 30 days
 * from the last visit), and no attempt or progress since. Their sessions, attempts, progress and assignments go
 * with them (the foreign keys cascade). Records belong to learners, never to guests, so nothing that counts toward
 * a target is removed; a guest that somehow holds one, or is named in the audit log, is kept. Returns how many guests were removed.
 *
 * Deletes in batches, each its own statement, so no lock is held long; a guest whose learner lock is taken (a quiz
 * being stored this instant) is skipped, and the learner lock is taken before the row, the one lock order.
 */
export async function removeIdleGuests(db: Kysely<Database>, idleDays = GUEST_IDLE_DAYS): Promise<number> {
	const since = sql<Date>`now() - make_interval(days => ${idleDays})`;
	let removed = 0;
	for (;;) {
		// The idle guests are listed first (materialized), so the learner locks are tried on them only.
		const { rows } = await sql<{ id: number }>`
			with idle as materialized (
				select g.id from app_user g
				where g.kind = 'guest' and g.created_at < ${since}
					and not exists (select 1 from user_session s where s.user_id = g.id and s.expires_at > now())
					and not exists (select 1 from quiz_attempt a where a.user_id = g.id and a.created_at >= ${since})
					and not exists (select 1 from lesson_progress p where p.user_id = g.id and p.updated_at >= ${since})
					and not exists (select 1 from completion_record r where r.user_id = g.id)
					and not exists (select 1 from audit_log l where l.target_user_id = g.id or l.actor_user_id = g.id)
				order by g.id
				limit ${BATCH}
			)
			delete from app_user u using idle
			where u.id = idle.id and u.kind = 'guest' and ${tryLearnerLock(sql.ref('idle.id'))}
			returning u.id`.execute(db);
		removed += rows.length;
		if (rows.length < BATCH) return removed;
	}
}

let timer: ReturnType<typeof setInterval> | undefined;

/**
 * Runs removeIdleGuests a minute after start and then every `hours`, in the background of the app process (every
 * process may do it: the deletes are idempotent and skip guests in use). Failures are logged, never thrown.
 */
export function scheduleGuestCleanup(getDb: () => Promise<Kysely<Database>>, hours = 6): void {
	if (timer) return;
	const run = async () => {
		try {
			const n = await removeIdleGuests(await getDb());
			if (n) console.log(`Đã xóa ${n} khách vãng lai không hoạt động quá ${GUEST_IDLE_DAYS} ngày.`);
		} catch (e) {
			console.error(`Guest cleanup failed: ${(e as Error).message}`);
		}
	};
	setTimeout(run, 60_000).unref();
	timer = setInterval(run, hours * 60 * 60 * 1000);
	timer.unref();
}
