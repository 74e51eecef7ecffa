import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { DeviceEntry } from '$lib/server/auth/device';

/** The given name of a Vietnamese full name: its last word ("Nguyễn Thị Lan" -> "Lan"). */
export function givenName(fullName: string | null): string {
	const words = (fullName ?? '').trim().split(/\s+/);
	return words[words.length - 1] || '?';
}

export interface PhonePerson {
	/** Position in the device cookie: what the page sends back (never a user id). */
	index: number;
	givenName: string;
	/** Logs in with a card PIN (a login card is active), otherwise with a password. */
	usesPin: boolean;
}

/**
 * People who recently learned on this phone (the signed device cookie), given names only, in the cookie's order
 * (most recent first). Deleted accounts and people with neither a password nor a card are left out.
 */
export async function listPhonePeople(db: Kysely<Database>, entries: DeviceEntry[]): Promise<PhonePerson[]> {
	if (!entries.length) return [];
	const rows = await db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.full_name', 'u.password_hash'])
		.select((eb) =>
			eb
				.exists(eb.selectFrom('login_card as c').select('c.id').whereRef('c.user_id', '=', 'u.id').where('c.revoked_at', 'is', null))
				.as('has_card')
		)
		.where(
			'u.id',
			'in',
			entries.map((e) => e.userId)
		)
		.where('u.deleted_at', 'is', null)
		.where('u.kind', '=', 'learner')
		.execute();
	const byId = new Map(rows.map((r) => [r.id, r]));
	const out: PhonePerson[] = [];
	entries.forEach((e, index) => {
		const r = byId.get(e.userId);
		if (r && (r.has_card || r.password_hash)) out.push({ index, givenName: givenName(r.full_name), usesPin: !!r.has_card });
	});
	return out;
}

/** The active card code of a person (to check their PIN on the switch page), or undefined. */
export async function activeCardCode(db: Kysely<Database>, userId: number): Promise<string | undefined> {
	const row = await db.selectFrom('login_card').select('code').where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
	return row?.code;
}

/** The phone number or username a person logs in with (to check their password on the switch page). */
export async function loginNameOf(db: Kysely<Database>, userId: number): Promise<string | undefined> {
	const row = await db.selectFrom('app_user').select(['phone', 'username']).where('id', '=', userId).executeTakeFirst();
	return row?.phone ?? row?.username ?? undefined;
}
