import type { PageServerLoad } from './$types';
import { buildOverdueView } from '$lib/server/bulk/overdue-view';
import { noStore } from '../nguoi-dan/team.server';
import { openUnitPage } from '../unit.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs } = await openUnitPage(event);
	noStore(event);
	return { unit: { id: unit.id, label: unit.label }, crumbs, view: await buildOverdueView(database, unit, event.url) };
};
