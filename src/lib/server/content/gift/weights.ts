/**
 * Moodle's grade fractions. Moodle's question bank only stores these values (1, 9/10, 5/6, 4/5, ... 1/20 and
 * their negatives); an import with any other percentage fails, so the checker rejects them up front.
 */
export const MOODLE_FRACTIONS: readonly number[] = [
	1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571,
	0.125, 0.1111111, 0.1, 0.05
];

/** The percentages as trainers write them: 100, 90, 83.33333, ... 5. */
export const MOODLE_PERCENTS: readonly string[] = MOODLE_FRACTIONS.map(formatPercent);

/**
 * The Moodle fraction a written percentage stands for, or null when Moodle does not allow it.
 * Like Moodle, a percentage is accepted when it is within 0.001 percentage points of an allowed value
 * (so 33.33333 is one third but 33.3 is not).
 */
export function fractionForPercent(percent: number, allowNegative: boolean): number | null {
	if (!Number.isFinite(percent)) return null;
	const f = percent / 100;
	if (Math.abs(f) < 0.00001) return 0;
	if (f < 0 && !allowNegative) return null;
	for (const allowed of MOODLE_FRACTIONS) {
		if (Math.abs(Math.abs(f) - allowed) < 0.00001) return f < 0 ? -allowed : allowed;
	}
	return null;
}

/** 0.3333333 -> "33.33333", -1 -> "-100", 0.5 -> "50". */
export function formatPercent(fraction: number): string {
	const s = (fraction * 100).toFixed(5).replace(/\.?0+$/, '');
	return s === '-0' ? '0' : s;
}
