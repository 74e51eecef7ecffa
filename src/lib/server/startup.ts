import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { importSeedUnitsIfEmpty } from '$lib/server/units/import';
import { rebuildRollupsIfMissing } from '$lib/server/stats/rollups';
import { rebuildAnalyticsIfMissing } from '$lib/server/analytics/counters';
import { poolSize } from '$lib/server/db';
import { warmConnections } from '$lib/server/db/pipeline';
import { readyQuizStatements } from '$lib/server/learning/attempts';
import { describeError } from '$lib/server/log';

/**
 * Work a start may have to do once on a database: load the administrative units, count the records issued before
 * the statistics existed and the lessons read before the trainers' analytics existed. On a database where all of
 * it is done (every start but the first after an upgrade) one query says so; otherwise each part checks again
 * under its own lock and does what is missing.
 */
export async function doStartupWork(db: Kysely<Database>): Promise<void> {
	const { rows } = await sql<{ units: boolean; rollups: boolean; analytics: boolean }>`
		select
			not (exists (select 1 from unit) and exists (select 1 from unit_scope)) as units,
			not exists (select 1 from stat_day) and exists (
				select 1 from completion_record r join unit_scope s on s.unit_id = r.unit_id where r.revoked_at is null
			) as rollups,
			not exists (select 1 from analytics_lesson_day) and exists (select 1 from lesson_open) as analytics`.execute(db);
	const pending = rows[0];
	if (pending.units) await importSeedUnitsIfEmpty(db);
	// Records issued before the statistics existed are counted once, at the first start after the upgrade.
	if (pending.rollups) await rebuildRollupsIfMissing(db);
	// Lessons learners went through before the trainers' analytics existed are counted once, likewise.
	if (pending.analytics) await rebuildAnalyticsIfMissing(db);
}

/**
 * Opens every connection of the pool to a PostgreSQL server and readies each for quiz submissions (see
 * readyQuizStatements): a process that has just started, in an exam week, would otherwise open them and have the
 * server parse and plan its statements on each while its first learners wait. A connection that cannot be readied
 * is only reported: the app starts anyway and opens it when needed.
 */
export async function readyConnections(db: Kysely<Database>): Promise<void> {
	const { failures } = await warmConnections(db, poolSize(), readyQuizStatements);
	if (failures.length) console.warn(`PostgreSQL: ${failures.length} kết nối chưa chuẩn bị sẵn được (${describeError(failures[0]).split('\n')[0]}); sẽ mở khi cần.`);
}
