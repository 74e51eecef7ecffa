import { describe, expect, test } from 'vitest';
import { looksLikePhone, normalizePhone, PHONE_MESSAGE } from './phone';

describe('normalizePhone', () => {
	test.each([
		['0912 345 678', '0912345678'],
		['0912.345.678', '0912345678'],
		['0912-345-678', '0912345678'],
		['+84912345678', '0912345678'],
		['+84 912 345 678', '0912345678'],
		['84912345678', '0912345678'],
		['(+84) 912345678', '0912345678'],
		['+84 0912 345 678', '0912345678'],
		['  0387654321 ', '0387654321'],
		['0523456789', '0523456789'],
		['0701234567', '0701234567'],
		['0861234567', '0861234567']
	])('%s -> %s', (input, expected) => {
		expect(normalizePhone(input)).toEqual({ ok: true, phone: expected });
	});

	test.each([
		'',
		'abc',
		'091234567', // 9 digits
		'09123456789', // 11 digits
		'0212345678', // 02x is a landline prefix
		'0112345678',
		'0312345678', // 031 is not a mobile prefix
		'912345678', // no leading 0 or country code
		'+1 202 555 0143',
		'8491234567',
		'0912a45678'
	])('rejects %j', (input) => {
		expect(normalizePhone(input)).toEqual({ ok: false, message: PHONE_MESSAGE });
	});

	test('message says what to type', () => {
		expect(PHONE_MESSAGE).toContain('10 chữ số');
	});
});

describe('looksLikePhone', () => {
	test('digits and separators are a phone, letters are a username', () => {
		expect(looksLikePhone('0912 345 678')).toBe(true);
		expect(looksLikePhone('+84912345678')).toBe(true);
		expect(looksLikePhone('nguyenvana')).toBe(false);
		expect(looksLikePhone('an.nguyen2')).toBe(false);
	});
});
