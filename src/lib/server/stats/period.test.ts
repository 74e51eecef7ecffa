import { describe, expect, test } from 'vitest';
import { addDays, isDay, splitPeriod, todayInVietnam, weekOf } from './period';

function expand(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
	return out;
}

function covered(from: string, to: string): string[] {
	const p = splitPeriod(from, to);
	const days = p.days.flatMap(([a, b]) => expand(a, b));
	if (p.months) {
		for (let m = p.months[0]; m <= p.months[1]; ) {
			const next = addDays(m, 40).slice(0, 8) + '01';
			days.push(...expand(m, addDays(next, -1)));
			m = next;
		}
	}
	return days.sort();
}

describe('splitPeriod', () => {
	test('a calendar year is twelve whole months and no loose day', () => {
		expect(splitPeriod('2025-01-01', '2025-12-31')).toEqual({ days: [], months: ['2025-01-01', '2025-12-01'] });
	});
	test('loose days before and after the whole months', () => {
		expect(splitPeriod('2025-06-15', '2025-09-10')).toEqual({
			days: [
				['2025-06-15', '2025-06-30'],
				['2025-09-01', '2025-09-10']
			],
			months: ['2025-07-01', '2025-08-01']
		});
	});
	test('a period inside one month is loose days only', () => {
		expect(splitPeriod('2024-02-03', '2024-02-29')).toEqual({ days: [['2024-02-03', '2024-02-29']], months: null });
		expect(splitPeriod('2024-02-01', '2024-02-29')).toEqual({ days: [], months: ['2024-02-01', '2024-02-01'] });
	});
	test('an empty period has nothing', () => {
		expect(splitPeriod('2025-03-02', '2025-03-01')).toEqual({ days: [], months: null });
	});
	test('every day of any period is covered exactly once', () => {
		const starts = ['2024-01-01', '2024-01-31', '2024-02-28', '2024-12-31', '2025-06-30', '2025-07-01'];
		for (const from of starts) {
			for (const len of [0, 1, 27, 28, 29, 30, 31, 59, 200, 400]) {
				const to = addDays(from, len);
				expect(covered(from, to)).toEqual(expand(from, to));
			}
		}
	});
});

describe('days', () => {
	test('isDay accepts real days only', () => {
		expect(isDay('2024-02-29')).toBe(true);
		expect(isDay('2025-02-29')).toBe(false);
		expect(isDay('2025-13-01')).toBe(false);
		expect(isDay('2025-1-01')).toBe(false);
	});
	test('weeks start on Monday', () => {
		expect(weekOf('2025-07-06')).toBe('2025-06-30'); // Sunday
		expect(weekOf('2025-06-30')).toBe('2025-06-30'); // Monday
	});
	test('today is counted in Vietnam', () => {
		expect(todayInVietnam(new Date('2025-06-30T17:30:00Z'))).toBe('2025-07-01');
		expect(todayInVietnam(new Date('2025-06-30T16:59:59Z'))).toBe('2025-06-30');
	});
});
