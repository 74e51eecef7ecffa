import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { getUnitOption, searchUnits } from '$lib/server/units/search';

export const csr = false;

/** The units the person manages; one unit goes straight to its page. Administrators find any current unit. */
export const load: PageServerLoad = async (event) => {
	const { grants, isAdmin } = await requireUnitRole(event, ['official']);
	const database = await db();
	const units = (await Promise.all(grants.map((g) => (g.unitId === null ? undefined : getUnitOption(database, g.unitId))))).filter((u) => !!u);
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 80);
	if (!isAdmin && units.length === 1) redirect(303, `/don-vi/${units[0].id}`);
	const found = isAdmin && q.trim() ? await searchUnits(database, q, { limit: 30 }) : [];
	return {
		isAdmin,
		q,
		units: units.map((u) => ({ id: u.id, label: u.label })),
		found: found.map((u) => ({ id: u.id, label: u.label }))
	};
};
