// Tables of community team support (migration 2026_12_01_100100_create_team_support).
import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema-columns';

export interface ConsentRecordTable {
	id: Generated<number>;
	user_id: number;
	helper_user_id: number | null;
	text_version: string;
	agreed_at: CreatedAt;
}

export interface PasswordResetCodeTable {
	id: Generated<number>;
	user_id: number;
	code_hash: string;
	issued_by: number | null;
	created_at: CreatedAt;
	expires_at: Timestamp;
	used_at: Timestamp | null;
	/** reset: a way back in; setup: the first password of an account an official made. */
	purpose: Generated<'reset' | 'setup'>;
}

export interface LoginCardTable {
	id: Generated<number>;
	user_id: number;
	code: string;
	pin_hash: string;
	issued_by: number | null;
	created_at: CreatedAt;
	revoked_at: Timestamp | null;
}

export interface TeamsTables {
	consent_record: ConsentRecordTable;
	password_reset_code: PasswordResetCodeTable;
	login_card: LoginCardTable;
}
