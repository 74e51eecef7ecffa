import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { inScope } from '$lib/server/units/scope';

export interface VillagerRow {
	id: number;
	fullName: string;
	birthYear: number | null;
	phone: string | null;
	unitName: string;
	hasCard: boolean;
	/** Lessons finished (read, or quiz passed). */
	lessonsDone: number;
	/** Completion records held (not revoked). */
	records: number;
	lastActiveAt: Date | null;
	/** The quiz most recently tried without a pass, if any: where the person is stuck. */
	stuckOn: string | null;
	registeredByName: string | null;
}

/**
 * The people of a unit and every unit counted under it (a hamlet, or all hamlets of a commune), with their
 * progress, in name order. Personal data: only for pages guarded by requireUnitRole on this unit.
 */
export async function listVillagers(db: Kysely<Database>, unitId: number): Promise<VillagerRow[]> {
	const rows = await db
		.selectFrom('app_user as u')
		.$call(inScope('u.unit_id', unitId))
		.innerJoin('unit as un', 'un.id', 'u.unit_id')
		.leftJoin('app_user as helper', 'helper.id', 'u.registered_by')
		.select([
			'u.id',
			'u.full_name',
			'u.birth_year',
			'u.phone',
			'un.name as unit_name',
			'helper.full_name as helper_name',
			sql<boolean>`exists (select 1 from login_card c where c.user_id = u.id and c.revoked_at is null)`.as('has_card'),
			sql<number>`(select count(*) from lesson_progress p where p.user_id = u.id and (p.read_at is not null or p.passed_at is not null))::int`.as('lessons_done'),
			sql<number>`(select count(*) from completion_record r where r.user_id = u.id and r.revoked_at is null)::int`.as('records'),
			sql<Date | null>`greatest((select max(p.updated_at) from lesson_progress p where p.user_id = u.id), (select max(a.created_at) from quiz_attempt a where a.user_id = u.id))`.as('last_active_at'),
			sql<string | null>`(select lv.title from quiz_attempt a
				join lesson l on l.id = a.lesson_id
				join lesson_version lv on lv.id = l.current_version_id
				where a.user_id = u.id
				and not exists (select 1 from lesson_progress p where p.user_id = u.id and p.lesson_id = a.lesson_id and p.passed_at is not null)
				order by a.created_at desc limit 1)`.as('stuck_on')
		])
		.where('u.kind', '=', 'learner')
		.where('u.deleted_at', 'is', null)
		.orderBy('u.full_name')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		fullName: r.full_name ?? '',
		birthYear: r.birth_year,
		phone: r.phone,
		unitName: r.unit_name,
		hasCard: r.has_card,
		lessonsDone: r.lessons_done,
		records: r.records,
		lastActiveAt: r.last_active_at ? new Date(r.last_active_at) : null,
		stuckOn: r.stuck_on,
		registeredByName: r.helper_name
	}));
}

/** Counts for the unit: people, people who started, people holding at least one record. */
export function summarize(rows: VillagerRow[]): { people: number; started: number; withRecord: number; records: number } {
	return {
		people: rows.length,
		started: rows.filter((r) => r.lessonsDone > 0 || r.lastActiveAt).length,
		withRecord: rows.filter((r) => r.records > 0).length,
		records: rows.reduce((n, r) => n + r.records, 0)
	};
}

/** One villager of the unit's scope (for the person page), or undefined when they are not in it. */
export async function findVillagerInScope(db: Kysely<Database>, unitId: number, userId: number) {
	return db
		.selectFrom('app_user as u')
		.$call(inScope('u.unit_id', unitId))
		.select(['u.id', 'u.full_name', 'u.birth_year', 'u.phone', 'u.unit_id', 'u.password_hash', 'u.registered_by'])
		.where('u.id', '=', userId)
		.where('u.kind', '=', 'learner')
		.where('u.deleted_at', 'is', null)
		.executeTakeFirst();
}
