// Calendar days as 'YYYY-MM-DD' strings (dates in Vietnam), and how a period splits into whole months and loose
// days so that a figure over a year reads twelve month rows and a few day rows instead of 365 day rows.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar day written YYYY-MM-DD. */
export function isDay(s: string): boolean {
	const m = DAY.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function toUtc(day: string): Date {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(d: Date): string {
	return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
	const d = toUtc(day);
	d.setUTCDate(d.getUTCDate() + n);
	return fromUtc(d);
}

/** First day of the month of `day`. */
export function monthOf(day: string): string {
	return `${day.slice(0, 7)}-01`;
}

/** First day of the month after the month of `day`. */
export function nextMonth(day: string): string {
	const d = toUtc(monthOf(day));
	d.setUTCMonth(d.getUTCMonth() + 1);
	return fromUtc(d);
}

/** Monday of the week of `day` (weeks start on Monday, as in Vietnam). */
export function weekOf(day: string): string {
	const d = toUtc(day);
	const back = (d.getUTCDay() + 6) % 7;
	return addDays(day, -back);
}

// Made once: building a formatter with a time zone costs more than a page's SQL text.
const vietnamDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Vietnam. */
export function todayInVietnam(now = new Date()): string {
	return vietnamDay.format(now);
}

/** dd/mm/yyyy, as Vietnamese readers write dates. */
export function formatDay(day: string): string {
	const [y, m, d] = day.split('-');
	return `${d}/${m}/${y}`;
}

export interface PeriodParts {
	/** Inclusive ranges of loose days (at most two: before the first whole month and after the last). */
	days: [string, string][];
	/** Inclusive range of whole months, as first days of months, or null. */
	months: [string, string] | null;
}

/** Splits the inclusive period [from, to] into whole months and the loose days around them. */
export function splitPeriod(from: string, to: string): PeriodParts {
	if (from > to) return { days: [], months: null };
	const firstWhole = from.endsWith('-01') ? from : nextMonth(from);
	const afterLastWhole = monthOf(addDays(to, 1)); // the month after the last whole month
	if (firstWhole >= afterLastWhole) return { days: [[from, to]], months: null };
	const days: [string, string][] = [];
	if (from < firstWhole) days.push([from, addDays(firstWhole, -1)]);
	if (afterLastWhole <= to) days.push([afterLastWhole, to]);
	const lastMonth = monthOf(addDays(afterLastWhole, -1));
	return { days, months: [firstWhole, lastMonth] };
}
