import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { searchUnits } from '$lib/server/units/search';

/** Units matching ?q= (current ones only unless ?all=1), for the unit picker. Public data: no login needed. */
export const GET: RequestHandler = async ({ url }) => {
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	const units = await searchUnits(await db(), q, { limit: 20, currentOnly: url.searchParams.get('all') !== '1' });
	return json(
		{ units: units.map(({ id, code, type, name, level, label, current }) => ({ id, code, type, name, level, label, current })) },
		{ headers: { 'cache-control': 'public, max-age=300' } }
	);
};
