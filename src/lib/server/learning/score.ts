// Made when first used: the first Vietnamese number format of a process loads the locale's data (tens of
// milliseconds), which a start that only serves the catalog does not need.
let scoreFormat: Intl.NumberFormat | undefined;

/** 62.5 -> "62,5" (Vietnamese decimal comma, at most one decimal). */
export function formatScore(score: number): string {
	scoreFormat ??= new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
	return scoreFormat.format(score);
}
