import { describe, expect, test } from 'vitest';
import { publicOrigin, publicOriginWarning } from './public-url';

describe('public address for printed links', () => {
	test('PUBLIC_URL wins over ORIGIN; only the origin is kept', () => {
		expect(publicOrigin({ PUBLIC_URL: 'https://hocso.example.gov.vn/some/path', ORIGIN: 'http://10.0.0.5:3000' })).toBe('https://hocso.example.gov.vn');
		expect(publicOrigin({ ORIGIN: 'http://10.0.0.5:3000' })).toBe('http://10.0.0.5:3000');
	});

	test('unset, empty or not an http(s) URL means none, and a warning is given', () => {
		for (const env of [{}, { PUBLIC_URL: '', ORIGIN: ' ' }, { PUBLIC_URL: 'hocso.example.gov.vn' }, { ORIGIN: 'javascript:alert(1)' }]) {
			expect(publicOrigin(env)).toBeNull();
			expect(publicOriginWarning(env)).toContain('PUBLIC_URL');
		}
		expect(publicOriginWarning({ PUBLIC_URL: 'https://hocso.example.gov.vn' })).toBeNull();
	});
});
