import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { formatRecordCode } from './record-code';

/**
 * Everything the learning area keeps about one person, for their "download my data" file: attempts (with
 * their answers), lesson progress, records, assignments and practice runs. Course and lesson slugs name what each row is about.
 */
export async function exportLearningData(db: Kysely<Database>, userId: number): Promise<object> {
	const [attempts, progress, records, assignments, practiceRuns] = await Promise.all([
		db
			.selectFrom('quiz_attempt')
			.innerJoin('course', 'course.id', 'quiz_attempt.course_id')
			.innerJoin('lesson', 'lesson.id', 'quiz_attempt.lesson_id')
			.select([
				'course.slug as course',
				'lesson.slug as lesson',
				'quiz_attempt.score',
				'quiz_attempt.passed',
				'quiz_attempt.responses',
				'quiz_attempt.results',
				'quiz_attempt.created_at'
			])
			.where('quiz_attempt.user_id', '=', userId)
			.orderBy('quiz_attempt.created_at')
			.orderBy('quiz_attempt.id')
			.execute(),
		db
			.selectFrom('lesson_progress')
			.innerJoin('course', 'course.id', 'lesson_progress.course_id')
			.innerJoin('lesson', 'lesson.id', 'lesson_progress.lesson_id')
			.select(['course.slug as course', 'lesson.slug as lesson', 'read_at', 'passed_at', 'best_score', 'updated_at'])
			.where('lesson_progress.user_id', '=', userId)
			.orderBy('course.slug')
			.orderBy('lesson.position')
			.execute(),
		db
			.selectFrom('completion_record')
			.innerJoin('course', 'course.id', 'completion_record.course_id')
			.innerJoin('course_version', 'course_version.id', 'completion_record.course_version_id')
			.select([
				'course.slug as course',
				'course_version.title as course_title',
				'completion_record.code',
				'completion_record.score',
				'completion_record.unit_id',
				'completion_record.audience',
				'completion_record.issued_at',
				'completion_record.revoked_at',
				'completion_record.revoke_reason'
			])
			.where('completion_record.user_id', '=', userId)
			.orderBy('completion_record.issued_at')
			.execute(),
		db
			.selectFrom('assignment')
			.innerJoin('course', 'course.id', 'assignment.course_id')
			.select(['course.slug as course', 'assignment.due_at', 'assignment.created_at'])
			.where('assignment.user_id', '=', userId)
			.orderBy('assignment.created_at')
			.execute(),
		db
			.selectFrom('practice_run')
			.innerJoin('course', 'course.id', 'practice_run.course_id')
			.innerJoin('lesson', 'lesson.id', 'practice_run.lesson_id')
			.select(['course.slug as course', 'lesson.slug as lesson', 'practice_run.practice_key', 'practice_run.steps', 'practice_run.started_at', 'practice_run.completed_at'])
			.where('practice_run.user_id', '=', userId)
			.orderBy('practice_run.started_at')
			.orderBy('practice_run.id')
			.execute()
	]);
	return {
		quizAttempts: attempts.map((a) => ({
			course: a.course,
			lesson: a.lesson,
			score: a.score,
			passed: a.passed,
			answers: a.responses,
			results: Object.fromEntries(
				Object.entries(a.results as Record<string, { fraction: number; state: string }>).map(([q, r]) => [q, { fraction: r.fraction, state: r.state }])
			),
			submittedAt: a.created_at
		})),
		lessonProgress: progress.map((p) => ({
			course: p.course,
			lesson: p.lesson,
			readAt: p.read_at,
			passedAt: p.passed_at,
			bestScore: p.best_score,
			lastActiveAt: p.updated_at
		})),
		completionRecords: records.map((r) => ({
			course: r.course,
			courseTitle: r.course_title,
			code: formatRecordCode(r.code),
			score: r.score,
			unitId: r.unit_id,
			audience: r.audience,
			issuedAt: r.issued_at,
			revokedAt: r.revoked_at,
			revokeReason: r.revoke_reason
		})),
		assignments: assignments.map((a) => ({ course: a.course, dueAt: a.due_at, assignedAt: a.created_at })),
		// Wrong taps per step reached, in each run of a practice.
		practiceRuns: practiceRuns.map((r) => ({
			course: r.course,
			lesson: r.lesson,
			practice: r.practice_key,
			wrongTapsPerStep: r.steps,
			startedAt: r.started_at,
			completedAt: r.completed_at
		}))
	};
}
