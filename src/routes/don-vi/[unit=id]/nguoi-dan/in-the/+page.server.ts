import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { parseId } from '$lib/ids';
import { listVillagers } from '$lib/server/teams/team-view';
import { noStore, requireTeam } from '../team.server';
import { printNewCards } from '../cards.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const { unit } = await requireTeam(event);
	noStore(event);
	const villagers = await listVillagers(await db(), unit.id);
	return { unit, villagers: villagers.map((v) => ({ id: v.id, fullName: v.fullName, birthYear: v.birthYear, hasCard: v.hasCard })) };
};

export const actions: Actions = {
	default: async (event) => {
		const { user, unit } = await requireTeam(event);
		const data = await event.request.formData();
		const chosen = new Set(data.getAll('nguoi').map((x) => parseId(String(x))).filter((x): x is number => x !== null));
		// Only people of this unit's scope can be chosen: anything else sent is ignored.
		const people = (await listVillagers(await db(), unit.id)).filter((v) => chosen.has(v.id));
		if (!people.length) return fail(400, { message: 'Hãy chọn ít nhất một người để in thẻ.' });
		const cards = await printNewCards(event.url.origin, { people, actorUserId: user.id, unitId: unit.id });
		return { cards };
	}
};
