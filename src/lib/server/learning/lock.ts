import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

// Any constant works: it only names this family of advisory locks.
const LEARNER_LOCK = 7_302_114;

/**
 * Serialises one learner's learning writes until the transaction ends. Two quizzes of one course passed at the
 * same moment would otherwise each miss the other's progress and neither would issue the record.
 *
 * Lock order, everywhere: learner locks first (lowest user id first when there are several), then rows. A quiz
 * submission takes the learner lock and then, inserting its attempt, a share lock on the learner's app_user row;
 * logging in or registering as that guest locks the same row for update. Taking the learner lock before the row in
 * those too is what keeps the two from waiting on each other (a deadlock, 40P01).
 */
export async function lockLearner(trx: Transaction<Database>, userId: number): Promise<void> {
	await sql`select ${learnerLock(userId)}`.execute(trx);
}

/** lockLearner for several learners, in the one order (ascending id). */
export async function lockLearners(trx: Transaction<Database>, userIds: number[]): Promise<void> {
	for (const id of [...new Set(userIds)].sort((a, b) => a - b)) await lockLearner(trx, id);
}

/**
 * Thrown when the learner a write was for no longer exists: a guest who logged in to an account (their progress
 * moved there and the guest was removed) while this write waited for the learner lock.
 */
export class LearnerGoneError extends Error {
	constructor(readonly userId: number) {
		super(`Learner ${userId} no longer exists`);
	}
}

/** Whether a database error is a learning row referring to a learner (app_user) that is no longer there. */
export function isMissingLearnerError(e: unknown): boolean {
	const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
	return err?.code === '23503' && /_user_id_fkey/.test(`${err.constraint ?? ''} ${err.message ?? ''}`);
}

/**
 * The lock of the learner whose id is `userId` (a column), taken only if free at once: for sweeping many learners
 * in one statement without ever waiting on any of them.
 */
export function tryLearnerLock(userId: RawBuilder<number> | ReturnType<typeof sql.ref>) {
	return sql<boolean>`pg_try_advisory_xact_lock(${LEARNER_LOCK}, ${userId})`;
}

/** The lock call as an expression, to take it inside a larger statement (of a learner id, or of a column). */
export function learnerLock(userId: number | RawBuilder<number> | ReturnType<typeof sql.ref>) {
	return sql`pg_advisory_xact_lock(${LEARNER_LOCK}, ${userId})`;
}
