import { describe, expect, test } from 'vitest';
import { bucketLabel, medianBucket, TIME_BOUNDS, timeBucket } from './buckets';

describe('time histogram', () => {
	test('buckets hold [bound before, bound) minutes', () => {
		expect(timeBucket(0)).toBe(0);
		expect(timeBucket(0.99)).toBe(0);
		expect(timeBucket(1)).toBe(1);
		expect(timeBucket(6)).toBe(4);
		expect(timeBucket(1e9)).toBe(TIME_BOUNDS.length);
	});

	test('labels read as Vietnamese ranges', () => {
		expect(bucketLabel(0)).toBe('dưới 1 phút');
		expect(bucketLabel(timeBucket(6))).toBe('5–7 phút');
		expect(bucketLabel(timeBucket(50))).toBe('45 phút – 1 giờ');
		expect(bucketLabel(timeBucket(100))).toBe('1,5–2 giờ');
		expect(bucketLabel(timeBucket(2000))).toBe('1–2 ngày');
		expect(bucketLabel(TIME_BOUNDS.length)).toBe('từ 30 ngày');
	});

	test('the median is the bucket of the middle learner', () => {
		expect(medianBucket(new Map())).toBeNull();
		expect(medianBucket(new Map([[3, 1]]))).toBe(3);
		expect(medianBucket(new Map([[2, 2], [5, 1], [9, 2]]))).toBe(5);
		expect(medianBucket(new Map([[9, 2], [2, 2]]))).toBe(2);
	});
});
