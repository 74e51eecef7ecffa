import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { ASSISTED_CONSENT } from '$lib/server/teams/consent';
import { registerVillager } from '$lib/server/teams/assisted';
import { noStore, requireTeam } from '../team.server';

export const csr = false;

const day = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

export const load: PageServerLoad = async (event) => {
	const { unit } = await requireTeam(event);
	noStore(event);
	return { unit, consent: ASSISTED_CONSENT.points, added: event.url.searchParams.get('da-them') };
};

export const actions: Actions = {
	default: async (event) => {
		const { user, unit } = await requireTeam(event);
		const data = await event.request.formData();
		const s = (k: string) => String(data.get(k) ?? '');
		const values = { fullName: s('full_name').slice(0, 200), birthYear: s('birth_year').slice(0, 10), phone: s('phone').slice(0, 40), consent: data.get('consent') === 'yes' };
		const result = await registerVillager(await db(), { ...values, confirmNew: data.get('confirm_new') === 'yes', unitId: unit.id, helperUserId: user.id });
		if (!result.ok && 'duplicates' in result) {
			return fail(409, {
				values,
				duplicates: result.duplicates.map((d) => ({ id: d.id, fullName: d.fullName, birthYear: d.birthYear, registeredOn: day.format(d.registeredAt) }))
			});
		}
		if (!result.ok) return fail(400, { values, field: result.field, message: result.message });
		redirect(303, `/don-vi/${unit.id}/nguoi-dan/dang-ky?da-them=${encodeURIComponent(values.fullName.trim())}`);
	}
};
