import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { checkImportRows, confirmImport, DRAFT_GONE, DRAFT_MINUTES, IMPORT_COLUMNS, loadDraft, rowsFromSheet, saveDraft, type CheckedRow } from '$lib/server/bulk/import';
import { MAX_FILE_BYTES, MAX_ROWS, readSpreadsheet } from '$lib/server/bulk/spreadsheet';
import { setupSheet } from '$lib/server/bulk/setup-sheet';
import { listChildUnits, unitLabel } from '$lib/server/units/search';
import { noStore } from '../nguoi-dan/team.server';
import { openUnitPage } from '../unit.server';

export const csr = false;

/** What the preview table shows of a row (the cleaned values when it can be imported). */
function previewRow(r: CheckedRow) {
	return { line: r.line, fullName: r.fullName, login: r.login, unitCode: r.unitCode, position: r.position, unitLabel: r.value?.unitLabel ?? null, errors: r.errors };
}

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs, user } = await openUnitPage(event);
	noStore(event);
	const children = unit.current ? await listChildUnits(database, unit.id) : [];
	const base = {
		unit: { id: unit.id, label: unit.label, code: unit.code, current: unit.current },
		crumbs,
		columns: IMPORT_COLUMNS.map((c) => c.header),
		limits: { kb: MAX_FILE_BYTES / 1024, rows: MAX_ROWS, minutes: DRAFT_MINUTES },
		units: [{ code: unit.code, label: unit.label }, ...children.map((c) => ({ code: c.code, label: unitLabel({ type: c.type, name: c.name }) }))]
	};
	const token = event.url.searchParams.get('phien');
	if (!token) return { ...base, preview: null, draftGone: false };
	const draft = await loadDraft(database, { token: token.slice(0, 64), userId: user.id, unitId: unit.id });
	if (!draft) return { ...base, preview: null, draftGone: true };
	const rows = await checkImportRows(database, unit.id, draft.rows);
	return {
		...base,
		draftGone: false,
		preview: { token, fileName: draft.fileName, rows: rows.map(previewRow), bad: rows.filter((r) => r.errors.length).length }
	};
};

export const actions: Actions = {
	/** Upload: read and keep the list, then show it (a GET of the preview, so a reload does not upload again). */
	xem: async (event) => {
		const { database, unit, user } = await openUnitPage(event);
		if (!unit.current) return fail(400, { message: 'Đơn vị này không còn tồn tại: hãy nhập danh sách ở đơn vị kế thừa.' });
		const data = await event.request.formData();
		const file = data.get('tep');
		if (!(file instanceof File) || file.size === 0) return fail(400, { message: 'Hãy chọn tệp danh sách (CSV hoặc XLSX) trước khi bấm Xem trước.' });
		const sheet = await readSpreadsheet(file.name, new Uint8Array(await file.arrayBuffer()));
		if (!sheet.ok) return fail(400, { message: sheet.message });
		const parsed = rowsFromSheet(sheet.rows);
		if (!parsed.ok) return fail(400, { message: parsed.message });
		const token = await saveDraft(database, { userId: user.id, unitId: unit.id, fileName: file.name || 'danh-sach', rows: parsed.rows });
		redirect(303, `/don-vi/${unit.id}/nhap-danh-sach?phien=${token}`);
	},
	/** Confirm: every row or none; the setup codes are shown this once, to print. */
	nhap: async (event) => {
		const { database, unit, user } = await openUnitPage(event);
		const data = await event.request.formData();
		const token = String(data.get('phien') ?? '').slice(0, 64);
		if (!token) return fail(400, { message: DRAFT_GONE });
		const result = await confirmImport(database, { token, userId: user.id, unitId: unit.id });
		if (!result.ok) return fail(400, { message: result.message });
		return { imported: { id: result.importId, sheet: await setupSheet(event.url.origin, result.people) } };
	}
};
