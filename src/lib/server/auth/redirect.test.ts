import { expect, test } from 'vitest';
import { safeNextPath } from './redirect';

test('keeps same-site paths', () => {
	expect(safeNextPath('/account')).toBe('/account');
	expect(safeNextPath('/courses/k1?x=1#a')).toBe('/courses/k1?x=1#a');
	expect(safeNextPath('/courses/l%C3%A0m-quen')).toBe('/courses/l%C3%A0m-quen');
	expect(safeNextPath('/login?next=%2F%2Fevil.example')).toBe('/login?next=%2F%2Fevil.example');
});

test('gives the normalised path, the one the browser will open', () => {
	expect(safeNextPath('/courses/../account')).toBe('/account');
	expect(safeNextPath('/a/./b/%2e%2e/c')).toBe('/a/c');
	expect(safeNextPath('/..')).toBe('/');
});

test('refuses anything that leaves the site', () => {
	for (const bad of [null, undefined, '', 'account', 'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example']) {
		expect(safeNextPath(bad)).toBeNull();
	}
});

test('refuses paths that become "//host" once dot segments, encodings and backslashes are resolved', () => {
	const variants = [
		'/..//evil.example/x',
		'/.//evil.example/x',
		'/.//',
		'/%2e%2e//evil.example/x',
		'/%2E%2E//evil.example/x',
		'/%2e//evil.example',
		'/a/../..//evil.example',
		'/a/%2e%2e/%2e%2e//evil.example',
		'/%2f%2fevil.example/x',
		'/%2F/evil.example',
		'/%5cevil.example',
		'/%5C%5Cevil.example',
		'/a\\b',
		'/\\/evil.example',
		'/..\\evil.example',
		'/\n/evil.example',
		'/\r\n//evil.example',
		'/%00/evil.example',
		'/%0a/evil.example',
		'/%',
		'/' + 'a'.repeat(3000)
	];
	for (const bad of variants) expect(safeNextPath(bad), bad).toBeNull();
});
