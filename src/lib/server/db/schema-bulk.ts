// Tables of officials' bulk work (migration 2026_12_02_100000_create_bulk_work).
import type { Generated } from 'kysely';
import type { CreatedAt, Json, Timestamp } from './schema-columns';

export interface AccountImportDraftTable {
	token_hash: string;
	user_id: number;
	unit_id: number;
	file_name: string;
	rows: Json<unknown>;
	created_at: CreatedAt;
	expires_at: Timestamp;
}

export interface AccountImportTable {
	id: Generated<number>;
	unit_id: number;
	created_by: number | null;
	file_name: string;
	row_count: number;
	created_at: CreatedAt;
}

export interface UnitAssignmentTable {
	id: Generated<number>;
	unit_id: number;
	course_id: number | null;
	programme_id: number | null;
	audience: 'citizen' | 'civil_servant' | 'team_member' | null;
	due_at: Timestamp;
	created_by: number | null;
	created_at: CreatedAt;
}

export interface BulkTables {
	account_import_draft: AccountImportDraftTable;
	account_import: AccountImportTable;
	unit_assignment: UnitAssignmentTable;
}
