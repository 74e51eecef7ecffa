import { sql, type Kysely } from 'kysely';

// Practices (tap-through simulations in lessons): each run a learner makes, with the wrong taps per step, and
// the practices a learner has completed (once each, ever). A lesson version names its practices, so a course rule
// that requires them can be checked from the database alone.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Null: published before practices were counted; the next publication fills it in.
	await db.schema.alterTable('lesson_version').addColumn('practice_keys', 'jsonb').execute();

	await db.schema
		.createTable('practice_run')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
		.addColumn('lesson_version_id', 'integer', (c) => c.notNull().references('lesson_version.id'))
		.addColumn('practice_key', 'text', (c) => c.notNull())
		// Random key rendered into the practice's first page (or made by the script): one run however often sent.
		.addColumn('run_key', 'text', (c) => c.notNull())
		// Step id -> wrong taps on it; a step is a key once the run has reached it by right taps from the start.
		.addColumn('steps', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('completed_at', 'timestamptz')
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('practice_run_user_key_unique', ['user_id', 'run_key'])
		.execute();
	await db.schema.createIndex('practice_run_course_idx').on('practice_run').columns(['course_id', 'practice_key', 'started_at']).execute();

	await db.schema
		.createTable('practice_completion')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
		.addColumn('practice_key', 'text', (c) => c.notNull())
		.addColumn('run_id', 'integer', (c) => c.references('practice_run.id').onDelete('set null'))
		.addColumn('completed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// Once per learner and practice: a double tap or two devices at once insert one row.
		.addPrimaryKeyConstraint('practice_completion_pk', ['user_id', 'lesson_id', 'practice_key'])
		.execute();
	await db.schema.createIndex('practice_completion_user_course_idx').on('practice_completion').columns(['user_id', 'course_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('practice_completion').execute();
	await db.schema.dropTable('practice_run').execute();
	await db.schema.alterTable('lesson_version').dropColumn('practice_keys').execute();
}
