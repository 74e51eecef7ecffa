import type { Kysely, Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditEntryInput {
	/** Who did it; null for a command run on the server. */
	actorUserId: number | null;
	/** A short dotted name: role.grant, role.revoke, record.revoke, assignment.create, hamlet.add ... */
	action: string;
	/** The unit in whose subtree it happened (officials above it read the entry); null for actions over everything. */
	unitId: number | null;
	targetUserId?: number | null;
	details?: Record<string, unknown>;
}

/** Writes one audit entry. Call it with the transaction that makes the change, so both happen or neither. */
export async function writeAudit(db: Db, entry: AuditEntryInput): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			actor_user_id: entry.actorUserId,
			action: entry.action,
			unit_id: entry.unitId,
			target_user_id: entry.targetUserId ?? null,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}
