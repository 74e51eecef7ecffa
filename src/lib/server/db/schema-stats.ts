// Tables of programmes, running counts, populations and targets (migrations 2026_12_01_0910xx_*).
import type { ColumnType, Generated } from 'kysely';

import type { CreatedAt, Timestamp } from './schema-columns';

/** A `date` column read as 'YYYY-MM-DD' text (selected with to_char) or written as such. */
type DateText = ColumnType<Date, string, string>;

export interface ProgrammeTable {
	id: Generated<number>;
	name: string;
	unit_id: number | null;
	created_by: number | null;
	created_at: CreatedAt;
	retired_at: Timestamp | null;
}

export interface ProgrammeCourseTable {
	programme_id: number;
	course_id: number;
}

export interface ProgrammeCompletionTable {
	programme_id: number;
	user_id: number;
	unit_id: number | null;
	audience: string | null;
	completed_at: Timestamp;
}

interface StatRow {
	unit_id: number;
	kind: 'course' | 'programme';
	subject_id: number;
	audience: string;
	partial: boolean;
	learners: number;
}

export interface StatDayTable extends StatRow {
	day: DateText;
}

export interface StatMonthTable extends StatRow {
	month: DateText;
}

export interface UnitPopulationTable {
	unit_id: number;
	audience: string;
	population: number;
	updated_by: number | null;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TargetTable {
	id: Generated<number>;
	unit_id: number;
	title: string;
	course_id: number | null;
	programme_id: number | null;
	audience: string | null;
	period_start: DateText;
	period_end: DateText;
	goal_kind: 'count' | 'share';
	goal_count: number | null;
	goal_percent: number | null;
	parent_target_id: number | null;
	created_by: number | null;
	created_at: CreatedAt;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
	closed_at: Timestamp | null;
}

export interface StatsTables {
	programme: ProgrammeTable;
	programme_course: ProgrammeCourseTable;
	programme_completion: ProgrammeCompletionTable;
	stat_day: StatDayTable;
	stat_month: StatMonthTable;
	unit_population: UnitPopulationTable;
	target: TargetTable;
}
