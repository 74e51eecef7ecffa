// Tables of attempts, progress, completion records and assignments (migrations 2026_11_26_10xxxx_*).
import type { ColumnType, Generated } from 'kysely';

import type { CreatedAt, Json, Timestamp } from './schema-columns';

/** One graded question of an attempt. */
export interface AttemptQuestionResult {
	fraction: number;
	state: string;
	question_version_id: number;
}

export interface QuizAttemptTable {
	id: Generated<number>;
	user_id: number;
	course_id: number;
	lesson_id: number;
	lesson_version_id: number;
	submission_key: string;
	score: number;
	passed: boolean;
	responses: Json<Record<string, unknown>>;
	results: Json<Record<string, AttemptQuestionResult>>;
	created_at: CreatedAt;
}

export interface LessonProgressTable {
	user_id: number;
	lesson_id: number;
	course_id: number;
	lesson_version_id: number;
	read_at: Timestamp | null;
	passed_at: Timestamp | null;
	best_score: number | null;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CompletionRecordTable {
	id: Generated<number>;
	code: string;
	user_id: number;
	course_id: number;
	course_version_id: number;
	score: number | null;
	unit_id: number | null;
	audience: string | null;
	issued_at: CreatedAt;
	revoked_at: Timestamp | null;
	revoke_reason: string | null;
}

export interface RecordAuditTable {
	id: Generated<number>;
	record_id: number;
	action: string;
	reason: string | null;
	actor_user_id: number | null;
	at: CreatedAt;
}

export interface AssignmentTable {
	id: Generated<number>;
	user_id: number;
	course_id: number;
	due_at: Timestamp | null;
	assigned_by: number | null;
	created_at: CreatedAt;
	/** The unit assignment this one was made from (removed with it); null when given to the person alone. */
	unit_assignment_id: Generated<number | null>;
}

export interface PracticeRunTable {
	id: Generated<number>;
	user_id: number;
	course_id: number;
	lesson_id: number;
	lesson_version_id: number;
	practice_key: string;
	run_key: string;
	/** Step id -> wrong taps there; a step is a key once reached by right taps from the start. */
	steps: Json<Record<string, number>>;
	started_at: CreatedAt;
	completed_at: Timestamp | null;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PracticeCompletionTable {
	user_id: number;
	course_id: number;
	lesson_id: number;
	practice_key: string;
	run_id: number | null;
	completed_at: CreatedAt;
}

export interface LearningTables {
	practice_run: PracticeRunTable;
	practice_completion: PracticeCompletionTable;
	quiz_attempt: QuizAttemptTable;
	lesson_progress: LessonProgressTable;
	completion_record: CompletionRecordTable;
	record_audit: RecordAuditTable;
	assignment: AssignmentTable;
}
