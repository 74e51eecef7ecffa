import { expect, test } from 'vitest';
import { addLargeTextClass, isLargeText } from './text-size';

test('adds text-lg to the html tag only', () => {
	expect(addLargeTextClass('<!doctype html>\n<html lang="vi">\n<head>')).toBe('<!doctype html>\n<html lang="vi" class="text-lg">\n<head>');
	expect(addLargeTextClass('<html class="x" lang="vi"><body><html>')).toBe('<html class="text-lg x" lang="vi"><body><html>');
	expect(addLargeTextClass('<div>no html tag</div>')).toBe('<div>no html tag</div>');
});

test('reads the cookie', () => {
	expect(isLargeText({ get: () => 'lg' })).toBe(true);
	expect(isLargeText({ get: () => undefined })).toBe(false);
});
