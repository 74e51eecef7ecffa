import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { AUDIENCES } from '$lib/server/auth/user';
import { parseId } from '$lib/ids';
import { getChildUnits, getUnitFacts } from '$lib/server/stats/counting';
import { getPopulations, readWholeNumber, setPopulations } from '$lib/server/stats/targets';
import { unitLabel } from '$lib/server/units/search';

export const csr = false;

/** The unit and the units directly below it that still exist: the rows of the population form. */
async function rowsOf(unitId: number) {
	const database = await db();
	const unit = (await getUnitFacts(database, [unitId])).get(unitId);
	if (!unit) error(404, 'Không tìm thấy đơn vị');
	const children = (await getChildUnits(database, unitId)).filter((c) => !c.validTo && !c.retired);
	return { unit, units: [unit, ...children] };
}

export const load: PageServerLoad = async (event) => {
	const unitId = parseId(event.params.unit)!;
	await requireUnitRole(event, ['official'], unitId);
	const { unit, units } = await rowsOf(unitId);
	const pops = await getPopulations(
		await db(),
		units.map((u) => u.id)
	);
	return {
		unit: { id: unit.id, label: unitLabel({ type: unit.type, name: unit.name, valid_to: unit.validTo }) },
		rows: units.map((u) => ({
			id: u.id,
			label: unitLabel({ type: u.type, name: u.name }),
			values: Object.fromEntries(AUDIENCES.map((a) => [a, pops.get(u.id)?.get(a)?.toString() ?? '']))
		}))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const unitId = parseId(event.params.unit)!;
		const { user } = await requireUnitRole(event, ['official'], unitId);
		const { units } = await rowsOf(unitId);
		const data = await event.request.formData();
		const typed: Record<string, string> = {};
		const parsed = new Map<number, Record<string, number | null>>();
		for (const u of units) {
			const values: Record<string, number | null> = {};
			for (const a of AUDIENCES) {
				const key = `pop_${u.id}_${a}`;
				const raw = String(data.get(key) ?? '').slice(0, 20);
				typed[key] = raw;
				const n = readWholeNumber(raw);
				if (n === undefined) return fail(400, { typed, message: `${unitLabel({ type: u.type, name: u.name })}: dân số phải là một số nguyên (ví dụ 1.250), hoặc để trống.` });
				values[a] = n;
			}
			parsed.set(u.id, values);
		}
		const database = await db();
		for (const [id, values] of parsed) await setPopulations(database, id, values, user.id);
		return { ok: true };
	}
};
