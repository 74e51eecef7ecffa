import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { parseId } from '$lib/ids';
import { issueResetCode, RESET_CODE_HOURS } from '$lib/server/teams/reset';
import { formatCode } from '$lib/server/teams/codes';
import { qrSvg } from '$lib/server/teams/qr';
import { hasActiveCard } from '$lib/server/teams/cards';
import { findVillagerInScope } from '$lib/server/teams/team-view';
import { noStore, requireTeam } from '../team.server';
import { printNewCards } from '../cards.server';

export const csr = false;

const when = new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

/** The team member's guard, then the person, who must live in the unit's scope (404 otherwise, as for no one). */
async function requirePerson(event: RequestEvent) {
	const { user, unit } = await requireTeam(event);
	const id = parseId(event.params.user);
	const person = id ? await findVillagerInScope(await db(), unit.id, id) : undefined;
	if (!person) error(404, 'Không tìm thấy người này trong đơn vị');
	return { user, unit, person };
}

export const load: PageServerLoad = async (event) => {
	const { unit, person } = await requirePerson(event);
	noStore(event);
	return {
		unit,
		person: { id: person.id, fullName: person.full_name, birthYear: person.birth_year, hasPassword: !!person.password_hash, hasCard: await hasActiveCard(await db(), person.id) }
	};
};

export const actions: Actions = {
	/** A one-time reset code, after the team member has recognised the person face to face. */
	reset: async (event) => {
		const { user, unit, person } = await requirePerson(event);
		const { code, expiresAt } = await (await db()).transaction().execute((trx) => issueResetCode(trx, { userId: person.id, actorUserId: user.id, unitId: unit.id }));
		const url = `${event.url.origin}/lay-lai-mat-khau?ma=${formatCode(code)}`;
		return { reset: { code: formatCode(code), url, qrSvg: await qrSvg(url), expires: when.format(expiresAt), hours: RESET_CODE_HOURS } };
	},
	/** A new login card (and PIN); the old card stops working. */
	card: async (event) => {
		const { user, unit, person } = await requirePerson(event);
		const cards = await printNewCards(event.url.origin, { people: [{ id: person.id, fullName: person.full_name ?? '' }], actorUserId: user.id, unitId: unit.id });
		return { cards };
	}
};
