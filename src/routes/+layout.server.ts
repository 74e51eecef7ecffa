import type { LayoutServerLoad } from './$types';
import { isLargeText } from '$lib/server/text-size';
import { headerOf } from '$lib/server/header';

export const load: LayoutServerLoad = async ({ locals, cookies }) => {
	return { ...headerOf(locals.user), largeText: isLargeText(cookies) };
};
