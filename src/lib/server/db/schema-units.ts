// Tables of unit lineage, unit scope and the audit log (migrations 2026_12_01_0900xx_*).
import type { ColumnType, Generated } from 'kysely';

import type { CreatedAt } from './schema-columns';

export interface UnitLineageTable {
	old_unit_id: number;
	new_unit_id: number;
	kind: 'full' | 'partial';
}

export interface UnitScopeTable {
	ancestor_id: number;
	unit_id: number;
	depth: number;
	partial: boolean;
}

export interface AuditLogTable {
	/** bigserial: read as a string by node-postgres, as a number by PGlite; compare with Number(). */
	id: Generated<string | number>;
	at: CreatedAt;
	actor_user_id: number | null;
	action: string;
	unit_id: number | null;
	target_user_id: number | null;
	details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface UnitsTables {
	unit_lineage: UnitLineageTable;
	unit_scope: UnitScopeTable;
	audit_log: AuditLogTable;
}
