import type { ColumnType, Generated } from 'kysely';
import type { AccountsTables } from './schema-accounts';
import type { LearningTables } from './schema-learning';
import type { PublishingTables } from './schema-publishing';
import type { ThrottleTables } from './schema-throttle';
import type { UnitsTables } from './schema-units';
import type { StatsTables } from './schema-stats';
import type { TeamsTables } from './schema-teams';
import type { BulkTables } from './schema-bulk';
import type { AnalyticsTables } from './schema-analytics';
import type { CreatedAt, Json, Timestamp } from './schema-columns';

export interface CourseTable {
	id: Generated<number>;
	slug: string;
	code: string;
	current_version_id: number | null;
	position: Generated<number>;
	retired_at: Timestamp | null;
	created_at: CreatedAt;
}

export interface CourseVersionTable {
	id: Generated<number>;
	course_id: number;
	content_hash: string;
	title: string;
	meta: Json<Record<string, unknown>>;
	created_at: CreatedAt;
}

export interface LessonTable {
	id: Generated<number>;
	course_id: number;
	slug: string;
	position: number;
	current_version_id: number | null;
	retired_at: Timestamp | null;
	created_at: CreatedAt;
}

export interface LessonVersionTable {
	id: Generated<number>;
	lesson_id: number;
	content_hash: string;
	title: string;
	minutes: number;
	pass_mark: number;
	question_keys: Json<string[]>;
	/** Ids of the lesson's practices; null when published before practices were counted. */
	practice_keys: ColumnType<string[] | null, string | null | undefined, string | null>;
	created_at: CreatedAt;
}

export interface QuestionTable {
	id: Generated<number>;
	course_id: number;
	lesson_id: number;
	key: string;
	current_version_id: number | null;
	retired_at: Timestamp | null;
	created_at: CreatedAt;
}

export interface QuestionVersionTable {
	id: Generated<number>;
	question_id: number;
	content_hash: string;
	type: string;
	data: Json<unknown>;
	created_at: CreatedAt;
}

export interface Database extends AccountsTables, LearningTables, PublishingTables, ThrottleTables, UnitsTables, StatsTables, TeamsTables, BulkTables, AnalyticsTables {
	course: CourseTable;
	course_version: CourseVersionTable;
	lesson: LessonTable;
	lesson_version: LessonVersionTable;
	question: QuestionTable;
	question_version: QuestionVersionTable;
}
