import { describe, expect, test } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password';

describe('checkPasswordPolicy', () => {
	test('needs at least 8 characters, with a Vietnamese message', () => {
		expect(checkPasswordPolicy('')).toBe('Mật khẩu cần có ít nhất 8 ký tự.');
		expect(checkPasswordPolicy('abc1234')).toBe('Mật khẩu cần có ít nhất 8 ký tự.');
		expect(checkPasswordPolicy('bầu trời xanh')).toBeNull();
		expect(checkPasswordPolicy('abcd-efg')).toBeNull();
	});

	test('refuses very common passwords and very long ones', () => {
		expect(checkPasswordPolicy('12345678')).toMatch(/quá dễ đoán/);
		expect(checkPasswordPolicy('MatKhau123')).toMatch(/quá dễ đoán/);
		expect(checkPasswordPolicy('x'.repeat(129))).toMatch(/tối đa 128/);
	});
});

describe('hashPassword', () => {
	test('argon2id hash that verifies only the same password', async () => {
		const h = await hashPassword('mây trắng bay');
		expect(h).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(h, 'mây trắng bay')).toBe(true);
		// Decomposed input (some phone keyboards) is the same password.
		expect(await verifyPassword(h, 'mây trắng bay'.normalize('NFD'))).toBe(true);
		expect(await verifyPassword(h, 'may trang bay')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});
});

describe('Vietnamese passphrases', () => {
	test('the other tone placement and decomposed input are the same password', async () => {
		const h = await hashPassword('hòa bình khỏe');
		expect(await verifyPassword(h, 'hoà bình khoẻ')).toBe(true);
		expect(await verifyPassword(h, 'hoà bình khoẻ'.normalize('NFD'))).toBe(true);
		expect(await verifyPassword(h, 'hoa binh khoe')).toBe(false);
	});

	test('a version-0 hash (of the text as typed) still verifies in either placement', async () => {
		const { hash } = await import('@node-rs/argon2');
		const legacy = await hash('thủy chung');
		expect(await verifyPassword(legacy, 'thuỷ chung', 0)).toBe(true);
		expect(await verifyPassword(legacy, 'thủy chung', 0)).toBe(true);
		// Checked as a current hash, only the canonical form is tried.
		expect(await verifyPassword(legacy, 'thủy chung')).toBe(false);
	});
});
