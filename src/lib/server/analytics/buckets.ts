// Minutes from opening a lesson to reading it, kept as a histogram: bucket b holds times in
// [TIME_BOUNDS[b - 1], TIME_BOUNDS[b]) minutes (bucket 0 starts at 0, the last one has no end). The median is
// read from the histogram as the bucket holding the middle learner, so it is shown as a range.

export const TIME_BOUNDS = [1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200];

/** The bucket of a time in minutes (what width_bucket(minutes, TIME_BOUNDS) gives in SQL). */
export function timeBucket(minutes: number): number {
	let b = 0;
	while (b < TIME_BOUNDS.length && minutes >= TIME_BOUNDS[b]) b++;
	return b;
}

function minutesInWords(m: number): string {
	if (m < 60) return `${m} phút`;
	if (m < 1440) return `${m / 60} giờ`;
	return `${m / 1440} ngày`;
}

/** A bucket as Vietnamese readers say it: "5–7 phút", "1–1,5 giờ", "từ 30 ngày". */
export function bucketLabel(b: number): string {
	const lo = b === 0 ? 0 : TIME_BOUNDS[b - 1];
	const hi = TIME_BOUNDS[b];
	if (hi === undefined) return `từ ${minutesInWords(lo)}`;
	if (b === 0) return `dưới ${minutesInWords(hi)}`;
	const sameUnit = (lo < 60) === (hi < 60) && (lo < 1440) === (hi < 1440) && !(lo < 60 && hi === 60) && !(lo < 1440 && hi === 1440);
	const text = sameUnit ? `${minutesInWords(lo).split(' ')[0]}–${minutesInWords(hi)}` : `${minutesInWords(lo)} – ${minutesInWords(hi)}`;
	return text.replace(/\./g, ',');
}

/** The bucket holding the median learner of a histogram (bucket -> learners), or null when it is empty. */
export function medianBucket(hist: Map<number, number>): number | null {
	const total = [...hist.values()].reduce((a, b) => a + b, 0);
	if (total <= 0) return null;
	let seen = 0;
	for (const b of [...hist.keys()].sort((x, y) => x - y)) {
		seen += hist.get(b)!;
		if (seen * 2 >= total) return b;
	}
	return null;
}
