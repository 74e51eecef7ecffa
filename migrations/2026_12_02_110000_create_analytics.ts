import { sql, type Kysely } from 'kysely';

// Analytics for trainers: where learners stop and which questions trip them, read from running counts.
//
// lesson_open holds, per logged-in learner and lesson, when they first opened it, when it was first read (the
// "finished" button or any quiz submission) and passed, and which attempt was their first at its quiz. It changes
// only in the transactions of opening a lesson, markLessonRead and submitQuiz, which in the same statement move the
// counts below. Every count is keyed by the learner's unit when they first opened the lesson (unit_id 0: no unit)
// and by the day (or month) of that opening, so a learner's figures for one lesson stay in one cell whatever
// changes later. No count table holds a user id.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('lesson_open')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('unit_id', 'integer', (c) => c.notNull())
		.addColumn('opened_at', 'timestamptz', (c) => c.notNull())
		.addColumn('read_at', 'timestamptz')
		.addColumn('passed_at', 'timestamptz')
		.addColumn('first_attempt_id', 'integer')
		.addPrimaryKeyConstraint('lesson_open_pk', ['user_id', 'lesson_id'])
		.execute();

	// Funnel per lesson, unit and day of opening (Asia/Ho_Chi_Minh): learners who opened, read, passed.
	await db.schema
		.createTable('analytics_lesson_day')
		.addColumn('lesson_id', 'integer', (c) => c.notNull())
		.addColumn('unit_id', 'integer', (c) => c.notNull())
		.addColumn('day', 'date', (c) => c.notNull())
		.addColumn('course_id', 'integer', (c) => c.notNull())
		.addColumn('started', 'integer', (c) => c.notNull())
		.addColumn('read', 'integer', (c) => c.notNull())
		.addColumn('passed', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analytics_lesson_day_pk', ['lesson_id', 'unit_id', 'day'])
		.execute();
	await db.schema.createIndex('analytics_lesson_day_course_idx').on('analytics_lesson_day').columns(['course_id', 'day']).execute();

	// Minutes from opening to first reading, as a histogram (bucket: see analytics/buckets.ts), per month of opening.
	await db.schema
		.createTable('analytics_lesson_time')
		.addColumn('lesson_id', 'integer', (c) => c.notNull())
		.addColumn('unit_id', 'integer', (c) => c.notNull())
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('bucket', 'integer', (c) => c.notNull())
		.addColumn('course_id', 'integer', (c) => c.notNull())
		.addColumn('learners', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analytics_lesson_time_pk', ['lesson_id', 'unit_id', 'month', 'bucket'])
		.execute();
	await db.schema.createIndex('analytics_lesson_time_course_idx').on('analytics_lesson_time').columns(['course_id', 'month']).execute();

	// Per question version (the same row while a question is unchanged), from each learner's first attempt: how
	// many answered, how many were right, and the sums that give the point-biserial correlation with the score.
	await db.schema
		.createTable('analytics_question')
		.addColumn('question_version_id', 'integer', (c) => c.notNull())
		.addColumn('unit_id', 'integer', (c) => c.notNull())
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('course_id', 'integer', (c) => c.notNull())
		.addColumn('answered', 'integer', (c) => c.notNull())
		.addColumn('correct', 'integer', (c) => c.notNull())
		.addColumn('sum_score', 'double precision', (c) => c.notNull())
		.addColumn('sum_score_sq', 'double precision', (c) => c.notNull())
		.addColumn('sum_score_correct', 'double precision', (c) => c.notNull())
		.addPrimaryKeyConstraint('analytics_question_pk', ['question_version_id', 'unit_id', 'month'])
		.execute();
	await db.schema.createIndex('analytics_question_course_idx').on('analytics_question').columns(['course_id', 'month']).execute();

	// Wrong answers of first attempts: a choice key, "true"/"false", or typed text folded to lower case.
	await db.schema
		.createTable('analytics_answer')
		.addColumn('question_version_id', 'integer', (c) => c.notNull())
		.addColumn('unit_id', 'integer', (c) => c.notNull())
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('answer', 'text', (c) => c.notNull())
		.addColumn('course_id', 'integer', (c) => c.notNull())
		.addColumn('learners', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analytics_answer_pk', ['question_version_id', 'unit_id', 'month', 'answer'])
		.execute();
	await db.schema.createIndex('analytics_answer_course_idx').on('analytics_answer').columns(['course_id', 'month']).execute();

	// Learners' lessons from before the analytics: opened when first read (no time to measure), first attempt the
	// earliest one. The counts are built from these rows at the first start (rebuildAnalyticsIfMissing).
	await sql`
		insert into lesson_open (user_id, lesson_id, course_id, unit_id, opened_at, read_at, passed_at, first_attempt_id)
		select p.user_id, p.lesson_id, p.course_id, coalesce(u.unit_id, 0), coalesce(p.read_at, p.updated_at), p.read_at, p.passed_at,
			(select min(a.id) from quiz_attempt a where a.user_id = p.user_id and a.lesson_id = p.lesson_id)
		from lesson_progress p join app_user u on u.id = p.user_id
		where u.kind = 'learner'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['analytics_answer', 'analytics_question', 'analytics_lesson_time', 'analytics_lesson_day', 'lesson_open']) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
