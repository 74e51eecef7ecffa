import { describe, expect, it } from 'vitest';
import { maskName } from './mask-name';

describe('maskName', () => {
	it('keeps the family name and the first letter of the others', () => {
		expect(maskName('Nguyễn Văn An')).toBe('Nguyễn V** A**');
		expect(maskName('  Đinh   Thị  Ánh Hồng ')).toBe('Đinh T** Á** H**');
	});
	it('handles a single word, decomposed accents and no name', () => {
		expect(maskName('Ánh')).toBe('Á**');
		expect(maskName('Le\u0302 Va\u0306n')).toBe('Lê V**');
		expect(maskName(null)).toBeNull();
		expect(maskName('  ')).toBeNull();
	});
});
