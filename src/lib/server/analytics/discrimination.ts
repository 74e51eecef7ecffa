// The discrimination index of a question: the point-biserial correlation between answering it right (1/0) and the
// quiz score, over learners' first attempts. Near 1: those who score well get it right and those who score badly
// get it wrong; near 0 or below: the question does not tell them apart (or misleads the good ones). It is computed
// from five running sums, so it needs no scan of attempts.

export interface ItemSums {
	/** Learners who answered (first attempts). */
	n: number;
	/** Of them, answered right. */
	n1: number;
	/** Sum of their scores, of squared scores, and of the scores of those who answered right. */
	sum: number;
	sumSq: number;
	sum1: number;
}

/** r_pb = (M1 - M0) / s * sqrt(p * q), s the standard deviation of all n scores; null when undefined. */
export function pointBiserial(s: ItemSums): number | null {
	const { n, n1 } = s;
	if (n < 2 || n1 === 0 || n1 === n) return null;
	const mean = s.sum / n;
	const variance = s.sumSq / n - mean * mean;
	if (variance <= 1e-9) return null;
	const m1 = s.sum1 / n1;
	const m0 = (s.sum - s.sum1) / (n - n1);
	const p = n1 / n;
	return ((m1 - m0) / Math.sqrt(variance)) * Math.sqrt(p * (1 - p));
}
