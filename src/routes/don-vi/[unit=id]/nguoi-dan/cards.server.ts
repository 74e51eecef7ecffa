import { db } from '$lib/server/db';
import { issueLoginCard } from '$lib/server/teams/cards';
import { formatCode } from '$lib/server/teams/codes';
import { qrSvg } from '$lib/server/teams/qr';

/**
 * New login cards for the given people (all in the unit's scope, checked by the caller), in one transaction:
 * each earlier card stops working. What the printed sheet needs, PINs in clear (shown this once).
 */
export async function printNewCards(origin: string, input: { people: { id: number; fullName: string }[]; actorUserId: number; unitId: number }) {
	const database = await db();
	const issued = await database.transaction().execute(async (trx) => {
		const out: { fullName: string; code: string; pin: string }[] = [];
		for (const p of input.people) {
			const card = await issueLoginCard(trx, { userId: p.id, actorUserId: input.actorUserId, unitId: input.unitId });
			out.push({ fullName: p.fullName, ...card });
		}
		return out;
	});
	return Promise.all(
		issued.map(async (c) => {
			const url = `${origin}/the/${formatCode(c.code)}`;
			return { fullName: c.fullName, code: formatCode(c.code), pin: c.pin, url, qrSvg: await qrSvg(url) };
		})
	);
}
