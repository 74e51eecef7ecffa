const scoreFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** 62.5 -> "62,5" (Vietnamese decimal comma, at most one decimal). */
export function formatScore(score: number): string {
	return scoreFormat.format(score);
}
