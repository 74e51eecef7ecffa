// Due dates are chosen as calendar days in Vietnam (UTC+7 all year, no daylight saving time) and stored as the
// last moment of that day, so a course due "31/12/2026" is overdue from 1 January 2027 in Vietnam.

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const dayFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: TIME_ZONE });
const viFormat = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TIME_ZONE });

export type DueDateResult = { ok: true; dueAt: Date | null } | { ok: false; message: string };

export const DUE_DATE_MESSAGE = 'Hạn hoàn thành chưa đúng. Hãy chọn một ngày, ví dụ 31/12/2026, hoặc để trống nếu không có hạn.';
export const PAST_DUE_MESSAGE = 'Hạn hoàn thành đã qua. Hãy chọn hôm nay hoặc một ngày sau hôm nay.';

/** The calendar day in Vietnam at `now`, as YYYY-MM-DD (what a date input holds). */
export function vietnamDay(now: Date = new Date()): string {
	return dayFormat.format(now);
}

/** A due date as Vietnamese people write it: 31/12/2026. */
export function formatDueDate(dueAt: Date): string {
	return viFormat.format(dueAt);
}

/**
 * Reads the due date field: empty means no due date; YYYY-MM-DD is what a date input sends, and 31/12/2026 is what
 * a person types where the browser shows a plain text box. A day before today (in Vietnam) is refused.
 */
export function parseDueDate(input: string, now: Date = new Date()): DueDateResult {
	const s = input.trim();
	if (!s) return { ok: true, dueAt: null };
	let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
	let [y, mo, d] = m ? [m[1], m[2], m[3]] : [];
	if (!m) {
		m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
		if (!m) return { ok: false, message: DUE_DATE_MESSAGE };
		[d, mo, y] = [m[1], m[2], m[3]];
	}
	const day = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
	const dueAt = new Date(`${day}T23:59:59.999+07:00`);
	// new Date accepts 2026-02-31 as 3 March: the day must read back as typed.
	if (Number.isNaN(dueAt.getTime()) || vietnamDay(dueAt) !== day) return { ok: false, message: DUE_DATE_MESSAGE };
	const today = vietnamDay(now);
	if (day < today) return { ok: false, message: PAST_DUE_MESSAGE };
	if (Number(y) > Number(today.slice(0, 4)) + 10) return { ok: false, message: 'Hạn hoàn thành xa quá: hãy chọn một ngày trong vòng 10 năm tới.' };
	return { ok: true, dueAt };
}
