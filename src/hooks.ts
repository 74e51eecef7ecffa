import type { Transport } from '@sveltejs/kit';
import { isServerRendered } from '$lib/server-rendered';

export const transport: Transport = {
	// What the server rendered stays on the server: the page data carries a placeholder (see $lib/server-rendered).
	ServerRendered: {
		encode: (value) => isServerRendered(value) && 1,
		decode: () => null
	}
};
