// Tables of accounts, sessions and administrative units (migrations 2026_11_26_09xxxx_*).
import type { ColumnType, Generated } from 'kysely';

import type { CreatedAt, Timestamp } from './schema-columns';
/** A `date` column: node-postgres and PGlite read it as a Date at local midnight; write 'YYYY-MM-DD'. */
type DateColumn = ColumnType<Date, string, string>;

export interface UnitTable {
	id: Generated<number>;
	code: string;
	name: string;
	level: string;
	type: string;
	parent_id: number | null;
	valid_from: DateColumn | null;
	valid_to: DateColumn | null;
	search_key: string;
	/** A hamlet no longer in use: hidden from pickers, kept for what refers to it. */
	retired_at: Timestamp | null;
}

export interface AppUserTable {
	id: Generated<number>;
	kind: 'guest' | 'learner';
	full_name: string | null;
	phone: string | null;
	username: string | null;
	password_hash: string | null;
	/** 0: hash of the password as typed; 1: of its canonical Vietnamese form (see auth/password.ts). */
	password_version: Generated<number>;
	audience: 'citizen' | 'civil_servant' | 'team_member' | null;
	unit_id: number | null;
	consented_at: Timestamp | null;
	/** The team member who registered this person for them. */
	registered_by: number | null;
	birth_year: number | null;
	/** Chức vụ, from the unit's list the account was imported from. */
	position: string | null;
	/** The imported list this account came from. */
	account_import_id: number | null;
	created_at: CreatedAt;
	deleted_at: Timestamp | null;
}

export interface UserSessionTable {
	id: string;
	user_id: number;
	expires_at: Timestamp;
	created_at: CreatedAt;
}

export interface UserRoleTable {
	id: Generated<number>;
	user_id: number;
	role: string;
	unit_id: number | null;
	created_at: CreatedAt;
}


export interface AccountsTables {
	unit: UnitTable;
	app_user: AppUserTable;
	user_session: UserSessionTable;
	user_role: UserRoleTable;
}
