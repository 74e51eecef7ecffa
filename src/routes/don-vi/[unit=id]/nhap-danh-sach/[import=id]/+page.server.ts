import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseId } from '$lib/ids';
import { listImportedPeople } from '$lib/server/bulk/import';
import { setupSheet } from '$lib/server/bulk/setup-sheet';
import { issueSetupCode } from '$lib/server/teams/reset';
import { noStore } from '../../nguoi-dan/team.server';
import { openUnitPage } from '../../unit.server';

export const csr = false;

const dateTime = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });

/** The import, if it was made in a unit of the page's scope; only its people who are in the scope. */
async function openImport(event: RequestEvent) {
	const page = await openUnitPage(event);
	const importId = parseId(event.params.import);
	const batch = importId === null ? undefined : await listImportedPeople(page.database, { importId, scopeUnitId: page.unit.id });
	if (!batch) error(404, 'Không tìm thấy đợt nhập danh sách này');
	return { ...page, batch };
}

export const load: PageServerLoad = async (event) => {
	const { unit, crumbs, batch } = await openImport(event);
	noStore(event);
	return {
		unit: { id: unit.id, label: unit.label },
		crumbs,
		batch: { ...batch, createdAt: dateTime.format(batch.createdAt) }
	};
};

export const actions: Actions = {
	/** New setup codes for everyone of the import who has not set a password yet (their earlier codes stop working). */
	ma: async (event) => {
		const { database, user, batch } = await openImport(event);
		const waiting = batch.people.filter((p) => !p.hasPassword);
		if (!waiting.length) return fail(400, { message: 'Mọi người của đợt này đã đặt mật khẩu: không cần cấp mã nữa.' });
		const issued = await database.transaction().execute(async (trx) => {
			const out = [];
			for (const p of waiting) {
				const person = await trx.selectFrom('app_user').select('unit_id').where('id', '=', p.id).executeTakeFirstOrThrow();
				out.push({ ...p, ...(await issueSetupCode(trx, { userId: p.id, actorUserId: user.id, unitId: person.unit_id! })) });
			}
			return out;
		});
		return { sheet: await setupSheet(event.url.origin, issued) };
	}
};
