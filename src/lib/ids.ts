/** Largest value of a PostgreSQL `integer` (serial) column. */
const MAX_INT4 = 2_147_483_647;

/**
 * A database id (a serial key) from untrusted text: a URL parameter, a query string or a form field.
 * Returns null for anything that is not a plain positive decimal integer that fits an `integer` column,
 * so that "1e3", " 7", "-1", "0x10", "2147483648" and "" never reach a query.
 */
export function parseId(value: unknown): number | null {
	if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
	const n = Number(value);
	return isId(n) ? n : null;
}

/** Whether a number can be a database id: a positive integer that fits an `integer` column. */
export function isId(n: number): boolean {
	return Number.isInteger(n) && n >= 1 && n <= MAX_INT4;
}
