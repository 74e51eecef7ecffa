import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const user = (locals as { user?: { id: number; fullName: string } | null }).user ?? null;
	return { user: user ? { id: user.id, fullName: user.fullName } : null };
};
