import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, formatRecordCode, newRecordCode, normalizeRecordCode } from './record-code';

describe('record codes', () => {
	it('uses 10 characters without ambiguous ones', () => {
		expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
		for (let i = 0; i < 200; i++) {
			const code = newRecordCode();
			expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
		}
	});
	it('is displayed in groups of four', () => {
		expect(formatRecordCode('K7QFM2XD9H')).toBe('K7QF-M2XD-9H');
	});
	it('reads typed codes in any case, with or without hyphens and spaces', () => {
		expect(normalizeRecordCode('k7qf-m2xd-9h')).toBe('K7QFM2XD9H');
		expect(normalizeRecordCode(' K7QF M2XD 9H ')).toBe('K7QFM2XD9H');
		expect(normalizeRecordCode('K7QFM2XD9')).toBeNull();
		expect(normalizeRecordCode('K7QFM2XD9O')).toBeNull();
		expect(normalizeRecordCode('')).toBeNull();
	});
});
