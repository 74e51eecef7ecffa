import type { PageServerLoad } from './$types';
import { listChildUnits, unitLabel } from '$lib/server/units/search';
import { openUnitPage } from './unit.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs } = await openUnitPage(event);
	const children = await listChildUnits(database, unit.id);
	return {
		unit: { id: unit.id, label: unit.label, level: unit.level, current: unit.current },
		crumbs,
		children: children.map((c) => ({ id: c.id, name: unitLabel({ type: c.type, name: c.name }) }))
	};
};
