import { describe, expect, test } from 'vitest';
import { DUE_DATE_MESSAGE, formatDueDate, parseDueDate, PAST_DUE_MESSAGE, vietnamDay } from './due-date';

// 10 June 2026, 20:00 UTC: already 11 June in Vietnam.
const NOW = new Date('2026-06-10T20:00:00Z');

describe('due dates', () => {
	test('today is the day in Vietnam, not in UTC', () => {
		expect(vietnamDay(NOW)).toBe('2026-06-11');
	});

	test('empty means no due date', () => {
		expect(parseDueDate('  ', NOW)).toEqual({ ok: true, dueAt: null });
	});

	test('a day is due until its last moment in Vietnam', () => {
		const r = parseDueDate('2026-12-31', NOW);
		expect(r).toEqual({ ok: true, dueAt: new Date('2026-12-31T16:59:59.999Z') });
		if (r.ok) expect(formatDueDate(r.dueAt!)).toBe('31/12/2026');
	});

	test('today is accepted, yesterday refused', () => {
		expect(parseDueDate('2026-06-11', NOW).ok).toBe(true);
		expect(parseDueDate('2026-06-10', NOW)).toEqual({ ok: false, message: PAST_DUE_MESSAGE });
	});

	test('31/12/2026 typed by hand reads as the same day', () => {
		expect(parseDueDate('31/12/2026', NOW)).toEqual(parseDueDate('2026-12-31', NOW));
		expect(parseDueDate('1.7.2026', NOW)).toEqual(parseDueDate('2026-07-01', NOW));
	});

	test('days that do not exist and other text are refused', () => {
		for (const s of ['2026-02-30', '31/04/2026', '2026-13-01', 'mai', '2026/12/31', '12-31-2026']) {
			expect(parseDueDate(s, NOW)).toEqual({ ok: false, message: DUE_DATE_MESSAGE });
		}
		expect(parseDueDate('2099-01-01', NOW).ok).toBe(false);
	});
});
