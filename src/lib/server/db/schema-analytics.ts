// Tables of the trainers' analytics (migration 2026_12_02_110000_create_analytics).
import type { ColumnType } from 'kysely';

import type { Timestamp } from './schema-columns';

/** A `date` column read as 'YYYY-MM-DD' text (selected with to_char) or written as such. */
type DateText = ColumnType<Date, string, string>;

export interface LessonOpenTable {
	user_id: number;
	lesson_id: number;
	course_id: number;
	unit_id: number;
	opened_at: Timestamp;
	read_at: Timestamp | null;
	passed_at: Timestamp | null;
	first_attempt_id: number | null;
}

export interface AnalyticsLessonDayTable {
	lesson_id: number;
	unit_id: number;
	day: DateText;
	course_id: number;
	started: number;
	read: number;
	passed: number;
}

export interface AnalyticsLessonTimeTable {
	lesson_id: number;
	unit_id: number;
	month: DateText;
	bucket: number;
	course_id: number;
	learners: number;
}

export interface AnalyticsQuestionTable {
	question_version_id: number;
	unit_id: number;
	month: DateText;
	course_id: number;
	answered: number;
	correct: number;
	sum_score: number;
	sum_score_sq: number;
	sum_score_correct: number;
}

export interface AnalyticsAnswerTable {
	question_version_id: number;
	unit_id: number;
	month: DateText;
	answer: string;
	course_id: number;
	learners: number;
}

export interface AnalyticsTables {
	lesson_open: LessonOpenTable;
	analytics_lesson_day: AnalyticsLessonDayTable;
	analytics_lesson_time: AnalyticsLessonTimeTable;
	analytics_question: AnalyticsQuestionTable;
	analytics_answer: AnalyticsAnswerTable;
}
