import { sql, type Kysely } from 'kysely';
import { writeAudit } from '$lib/server/audit';
import type { Database } from '$lib/server/db/schema';
import { applyUnitAssignments } from '$lib/server/bulk/unit-assignments';

export type ProfileResult = { ok: true } | { ok: false; field: 'full_name' | 'unit_id'; message: string };

/**
 * Changes the learner's name and unit (someone who moved commune). Records already issued keep the unit they were
 * issued in, so they go on counting where they were earned; records issued from now on count in the new unit.
 * Only a unit that exists today can be chosen; a citizen may have none. A move is audited in both units.
 */
export async function updateProfile(db: Kysely<Database>, userId: number, input: { fullName: string; unitId: string }): Promise<ProfileResult> {
	const fullName = input.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (fullName.length < 2) return { ok: false, field: 'full_name', message: 'Hãy nhập họ và tên của bạn.' };
	if (fullName.length > 100) return { ok: false, field: 'full_name', message: 'Họ và tên dài quá: tối đa 100 ký tự.' };
	const account = await db.selectFrom('app_user').select(['audience', 'unit_id']).where('id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
	if (!account) return { ok: false, field: 'full_name', message: 'Không tìm thấy tài khoản.' };
	let unitId: number | null = null;
	if (input.unitId) {
		unitId = /^[1-9][0-9]{0,9}$/.test(input.unitId) ? Number(input.unitId) : NaN;
		const unit = Number.isSafeInteger(unitId)
			? await db.selectFrom('unit').select('id').where('id', '=', unitId).where('valid_to', 'is', null).where('retired_at', 'is', null).executeTakeFirst()
			: undefined;
		if (!unit) return { ok: false, field: 'unit_id', message: 'Không tìm thấy đơn vị bạn chọn. Hãy tìm và chọn lại xã, phường của bạn.' };
	} else if (account.audience !== 'citizen') {
		return { ok: false, field: 'unit_id', message: 'Hãy tìm và chọn đơn vị nơi bạn công tác hoặc sinh hoạt.' };
	}
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('app_user').set({ full_name: fullName, unit_id: unitId }).where('id', '=', userId).execute();
		if (account.unit_id === unitId) return;
		// Someone who moved to a unit gets what is assigned to everyone there; what they had stays.
		await applyUnitAssignments(trx, { userIds: [userId] });
		// A move is written to the audit log of both units, so the officials of each see who left and who came.
		const names = await trx
			.selectFrom('unit')
			.select(['id', sql<string>`type || ' ' || name`.as('label')])
			.where('id', 'in', [account.unit_id, unitId].filter((id): id is number => id !== null))
			.execute();
		const label = (id: number | null) => names.find((n) => n.id === id)?.label ?? '(không có đơn vị)';
		const details = { from: label(account.unit_id), to: label(unitId) };
		if (account.unit_id !== null) await writeAudit(trx, { actorUserId: userId, action: 'account.move_out', unitId: account.unit_id, targetUserId: userId, details });
		if (unitId !== null) await writeAudit(trx, { actorUserId: userId, action: 'account.move_in', unitId, targetUserId: userId, details });
	});
	return { ok: true };
}
