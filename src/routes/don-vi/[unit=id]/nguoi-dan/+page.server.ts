import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { listVillagers, summarize } from '$lib/server/teams/team-view';
import { noStore, requireTeam } from './team.server';

export const csr = false;

const day = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

/** The team view: villagers of the unit with their progress, the unit's figures, a list that prints. */
export const load: PageServerLoad = async (event) => {
	const { unit } = await requireTeam(event);
	noStore(event);
	const villagers = await listVillagers(await db(), unit.id);
	return {
		unit,
		summary: summarize(villagers),
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
