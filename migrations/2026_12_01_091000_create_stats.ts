import { sql, type Kysely } from 'kysely';

// Training statistics: programmes (named sets of courses), the learners who completed them, running counts of
// learners per unit, course or programme, audience and day (and month), populations entered by officials, and
// training targets.
//
// stat_day and stat_month are kept by the two functions that issue and revoke records, in the same transaction:
// one row per (reporting unit, course or programme, audience, partial lineage, day), counting distinct learners,
// which is exact because a learner has at most one record per course and completes a programme at most once.
// A reporting unit is an ancestor_id of unit_scope; `partial` tells figures that came through a partial lineage
// step (only part of the unit lies under the reporting unit) from certain ones.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('programme')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		// The unit whose officials made the programme and may change it; targets anywhere may use it.
		.addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('retired_at', 'timestamptz')
		.execute();
	await sql`create unique index programme_name_unique on programme (lower(name)) where retired_at is null`.execute(db);

	await db.schema
		.createTable('programme_course')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programme.id').onDelete('cascade'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('course.id'))
		.addPrimaryKeyConstraint('programme_course_pk', ['programme_id', 'course_id'])
		.execute();
	await db.schema.createIndex('programme_course_course_idx').on('programme_course').column('course_id').execute();

	// A learner completed a programme when the last of its courses' records was issued, in the unit of that record.
	await db.schema
		.createTable('programme_completion')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programme.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('audience', 'text')
		.addColumn('completed_at', 'timestamptz', (c) => c.notNull())
		.addPrimaryKeyConstraint('programme_completion_pk', ['programme_id', 'user_id'])
		.execute();
	await db.schema.createIndex('programme_completion_user_idx').on('programme_completion').column('user_id').execute();

	for (const [table, col] of [
		['stat_day', 'day'],
		['stat_month', 'month']
	] as const) {
		await db.schema
			.createTable(table)
			.addColumn('unit_id', 'integer', (c) => c.notNull())
			.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('course', 'programme')`))
			.addColumn('subject_id', 'integer', (c) => c.notNull())
			// First day of the month for stat_month; days are counted in Asia/Ho_Chi_Minh.
			.addColumn(col, 'date', (c) => c.notNull())
			// '' when the record has no audience.
			.addColumn('audience', 'text', (c) => c.notNull())
			.addColumn('partial', 'boolean', (c) => c.notNull())
			.addColumn('learners', 'integer', (c) => c.notNull())
			.addPrimaryKeyConstraint(`${table}_pk`, ['unit_id', 'kind', 'subject_id', col, 'audience', 'partial'])
			.execute();
	}

	await db.schema
		.createTable('unit_population')
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('citizen', 'civil_servant', 'team_member')`))
		.addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('unit_population_pk', ['unit_id', 'audience'])
		.execute();

	await db.schema
		.createTable('target')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('course_id', 'integer', (c) => c.references('course.id'))
		.addColumn('programme_id', 'integer', (c) => c.references('programme.id'))
		// Null: every audience.
		.addColumn('audience', 'text', (c) => c.check(sql`audience in ('citizen', 'civil_servant', 'team_member')`))
		.addColumn('period_start', 'date', (c) => c.notNull())
		.addColumn('period_end', 'date', (c) => c.notNull())
		// 'count': goal_count distinct learners; 'share': goal_percent of the population entered for the unit.
		.addColumn('goal_kind', 'text', (c) => c.notNull().check(sql`goal_kind in ('count', 'share')`))
		.addColumn('goal_count', 'integer', (c) => c.check(sql`goal_count > 0`))
		.addColumn('goal_percent', 'real', (c) => c.check(sql`goal_percent > 0 and goal_percent <= 100`))
		// Set on the parts of a target broken down onto child units.
		.addColumn('parent_target_id', 'integer', (c) => c.references('target.id'))
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('closed_at', 'timestamptz')
		.execute();
	await sql`alter table target add constraint target_subject_check check ((course_id is null) <> (programme_id is null))`.execute(db);
	await sql`alter table target add constraint target_period_check check (period_start <= period_end)`.execute(db);
	await sql`alter table target add constraint target_goal_check check (
		(goal_kind = 'count' and goal_count is not null) or (goal_kind = 'share' and goal_percent is not null))`.execute(db);
	await db.schema.createIndex('target_unit_idx').on('target').column('unit_id').execute();
	await db.schema.createIndex('target_parent_idx').on('target').column('parent_target_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['target', 'unit_population', 'stat_month', 'stat_day', 'programme_completion', 'programme_course', 'programme']) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
