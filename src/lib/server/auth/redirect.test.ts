import { expect, test } from 'vitest';
import { safeNextPath } from './redirect';

test('keeps same-site paths', () => {
	expect(safeNextPath('/account')).toBe('/account');
	expect(safeNextPath('/courses/k1?x=1#a')).toBe('/courses/k1?x=1#a');
});

test('refuses anything that leaves the site', () => {
	for (const bad of [null, undefined, '', 'account', 'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example']) {
		expect(safeNextPath(bad)).toBeNull();
	}
});
