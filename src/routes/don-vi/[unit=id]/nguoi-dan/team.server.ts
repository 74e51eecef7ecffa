import { error, type RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { parseId } from '$lib/ids';
import { requireUnitRole } from '$lib/server/auth/guards';
import type { Role } from '$lib/server/auth/roles';

/** Who may help the villagers of a unit: its community team members and officials (administrators too). */
export const TEAM_ROLES: Role[] = ['team_member', 'official'];

/** The guard of every page here: the unit from the URL, and the user, who must hold a team role covering it. */
export async function requireTeam(event: RequestEvent) {
	const unitId = parseId(event.params.unit);
	if (!unitId) error(404, 'Không tìm thấy đơn vị');
	const { user } = await requireUnitRole(event, TEAM_ROLES, unitId);
	const unit = await (await db()).selectFrom('unit').select(['id', 'name', 'type']).where('id', '=', unitId).executeTakeFirstOrThrow();
	return { user, unit };
}

/** Personal data: never kept by a browser or proxy cache. Called by loads (actions are followed by the load). */
export function noStore(event: Pick<RequestEvent, 'setHeaders'>) {
	event.setHeaders({ 'cache-control': 'private, no-store' });
}
