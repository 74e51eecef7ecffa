import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { listVillagers, summarize } from '$lib/server/teams/team-view';
import { listTeamTargets } from '$lib/server/teams/team-targets';
import { noStore, requireTeam } from './team.server';

export const csr = false;

const day = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

/**
 * The team view: villagers of the unit with their progress, the unit's figures, the targets that concern it (its own,
 * and those of the units above with its contribution), a list that prints.
 */
export const load: PageServerLoad = async (event) => {
	const { unit } = await requireTeam(event);
	noStore(event);
	const database = await db();
	const [villagers, targets] = await Promise.all([listVillagers(database, unit.id), listTeamTargets(database, unit.id)]);
	return {
		unit,
		summary: summarize(villagers),
		targets,
		villagers: villagers.map((v) => ({
			id: v.id,
			fullName: v.fullName,
			birthYear: v.birthYear,
			unitName: v.unitName,
			hasCard: v.hasCard,
			lessonsDone: v.lessonsDone,
			records: v.records,
			lastActive: v.lastActiveAt ? day.format(v.lastActiveAt) : null,
			stuckOn: v.stuckOn
		})),
		printedOn: day.format(new Date())
	};
};
