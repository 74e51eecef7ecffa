// Tables of login throttling and server secrets (migration 2026_12_01_100000_create_login_throttle).
import type { CreatedAt, Timestamp } from './schema-columns';

export interface LoginThrottleTable {
	key: string;
	attempts: number;
	last_at: Timestamp;
}

export interface AppSecretTable {
	name: string;
	value: string;
	created_at: CreatedAt;
}

export interface ThrottleTables {
	login_throttle: LoginThrottleTable;
	app_secret: AppSecretTable;
}
