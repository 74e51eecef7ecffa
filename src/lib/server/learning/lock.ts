import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

// Any constant works: it only names this family of advisory locks.
const LEARNER_LOCK = 7_302_114;

/**
 * Serialises one learner's learning writes until the transaction ends. Two quizzes of one course passed at the
 * same moment would otherwise each miss the other's progress and neither would issue the record.
 */
export async function lockLearner(trx: Transaction<Database>, userId: number): Promise<void> {
	await sql`select ${learnerLock(userId)}`.execute(trx);
}

/** The lock call as an expression, to take it inside a larger statement. */
export function learnerLock(userId: number) {
	return sql`pg_advisory_xact_lock(${LEARNER_LOCK}, ${userId})`;
}
