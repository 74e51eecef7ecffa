import { sql, type Kysely } from 'kysely';

// Learners' quiz attempts, lesson progress, completion records (with their audit trail) and course assignments.
// Every row belongs to an app_user (a guest or a learner); a guest's rows move to the account they log in to.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('quiz_attempt')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
		.addColumn('lesson_version_id', 'integer', (c) => c.notNull().references('lesson_version.id'))
		// Random key rendered into the quiz form: a double tap, a resend or an offline replay records one attempt.
		.addColumn('submission_key', 'text', (c) => c.notNull())
		.addColumn('score', 'real', (c) => c.notNull().check(sql`score >= 0 and score <= 100`))
		.addColumn('passed', 'boolean', (c) => c.notNull())
		.addColumn('responses', 'jsonb', (c) => c.notNull())
		// Per question: fraction, state, question_version_id (what was graded, as the learner saw it).
		.addColumn('results', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('quiz_attempt_user_submission_unique', ['user_id', 'submission_key'])
		.execute();
	await db.schema.createIndex('quiz_attempt_user_lesson_idx').on('quiz_attempt').columns(['user_id', 'lesson_id']).execute();

	await db.schema
		.createTable('lesson_progress')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('lesson_version_id', 'integer', (c) => c.notNull().references('lesson_version.id'))
		.addColumn('read_at', 'timestamptz')
		.addColumn('passed_at', 'timestamptz')
		.addColumn('best_score', 'real')
		// Last activity on the lesson: "Học tiếp" picks the most recently active course.
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('lesson_progress_pk', ['user_id', 'lesson_id'])
		.execute();
	await db.schema.createIndex('lesson_progress_user_course_idx').on('lesson_progress').columns(['user_id', 'course_id']).execute();

	await db.schema
		.createTable('completion_record')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('course_version_id', 'integer', (c) => c.notNull().references('course_version.id'))
		// Mean of the best quiz scores; null for a course without quizzes.
		.addColumn('score', 'real')
		// The learner's unit and audience when the record was issued: targets count it there, whatever changes later.
		.addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('audience', 'text')
		.addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('revoked_at', 'timestamptz')
		.addColumn('revoke_reason', 'text')
		// At most one record per learner per course, ever: concurrent completions insert one row.
		.addUniqueConstraint('completion_record_user_course_unique', ['user_id', 'course_id'])
		.execute();

	await db.schema
		.createTable('record_audit')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('record_id', 'integer', (c) => c.notNull().references('completion_record.id'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('reason', 'text')
		.addColumn('actor_user_id', 'integer', (c) => c.references('app_user.id'))
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('record_audit_record_idx').on('record_audit').column('record_id').execute();

	await db.schema
		.createTable('assignment')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('due_at', 'timestamptz')
		.addColumn('assigned_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('assignment_user_course_unique', ['user_id', 'course_id'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['assignment', 'record_audit', 'completion_record', 'lesson_progress', 'quiz_attempt']) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
