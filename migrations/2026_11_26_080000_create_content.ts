import { sql, type Kysely } from 'kysely';

// Content lives in Markdown files; these tables give every course, lesson and question a stable id and keep
// one row per published version (by content hash), so learners' attempts can point at exactly what they saw.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('course')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('current_version_id', 'integer')
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('retired_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('course_version')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id').onDelete('cascade'))
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('meta', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('course_version_course_hash_unique', ['course_id', 'content_hash'])
		.execute();

	await db.schema
		.createTable('lesson')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id').onDelete('cascade'))
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('current_version_id', 'integer')
		.addColumn('retired_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('lesson_course_slug_unique', ['course_id', 'slug'])
		.execute();

	await db.schema
		.createTable('lesson_version')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id').onDelete('cascade'))
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('minutes', 'integer', (c) => c.notNull())
		.addColumn('pass_mark', 'integer', (c) => c.notNull())
		.addColumn('question_keys', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('lesson_version_lesson_hash_unique', ['lesson_id', 'content_hash'])
		.execute();

	await db.schema
		.createTable('question')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id').onDelete('cascade'))
		.addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id').onDelete('cascade'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('current_version_id', 'integer')
		.addColumn('retired_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('question_course_key_unique', ['course_id', 'key'])
		.execute();

	await db.schema
		.createTable('question_version')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id').onDelete('cascade'))
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		// The parsed question including its answer key: server-side only.
		.addColumn('data', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('question_version_question_hash_unique', ['question_id', 'content_hash'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['question_version', 'question', 'lesson_version', 'lesson', 'course_version', 'course']) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
