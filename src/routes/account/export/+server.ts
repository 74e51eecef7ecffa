import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/auth/guards';
import { getAccountProfile } from '$lib/server/auth/user';
import { getUnitOption } from '$lib/server/units/search';
import { exportLearningData } from '$lib/server/learning/export';

/** "Tải dữ liệu của tôi": everything kept about the person, as a JSON file (never the password hash). */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const database = await db();
	const profile = await getAccountProfile(database, user.id);
	if (!profile) error(404, 'Không tìm thấy tài khoản');
	const unit = profile.unit_id ? await getUnitOption(database, profile.unit_id) : undefined;
	const body = {
		exported_at: new Date().toISOString(),
		account: {
			id: profile.id,
			full_name: profile.full_name,
			phone: profile.phone,
			username: profile.username,
			audience: profile.audience,
			unit: unit ? { code: unit.code, name: unit.label } : null,
			consented_at: profile.consented_at?.toISOString() ?? null,
			created_at: profile.created_at.toISOString()
		},
		learning: await exportLearningData(database, user.id)
	};
	const day = body.exported_at.slice(0, 10);
	return new Response(JSON.stringify(body, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="hoc-so-du-lieu-cua-toi-${day}.json"`,
			'cache-control': 'no-store'
		}
	});
};
