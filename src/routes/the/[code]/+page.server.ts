import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { findActiveCard } from '$lib/server/teams/cards';
import { formatCode } from '$lib/server/teams/codes';
import { givenName } from '$lib/server/teams/session-switch';
import { cardLoginAction } from '../card-login.server';

export const csr = false;

/** The page a card's QR code opens: it asks only for the PIN. A replaced or unknown card is "not found". */
export const load: PageServerLoad = async ({ params }) => {
	const card = await findActiveCard(await db(), params.code);
	if (!card) error(404, 'Thẻ này không dùng được nữa (có thể đã được thay bằng thẻ mới). Hãy nhờ tổ công nghệ số cộng đồng.');
	return { code: formatCode(card.code), givenName: givenName(card.full_name) };
};

export const actions: Actions = { default: cardLoginAction };
