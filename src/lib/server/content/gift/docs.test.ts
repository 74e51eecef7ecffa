import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportGift } from './export';
import { parseGift } from './parse';

const doc = readFileSync(new URL('../../../../../docs/course-format.md', import.meta.url), 'utf8');
const reference = doc.slice(doc.indexOf('## GIFT reference'));
const example = /```gift\n([\s\S]*?)```/.exec(reference)?.[1] ?? '';

describe('docs/course-format.md, GIFT reference', () => {
	it('its example of every type parses without problems', () => {
		const r = parseGift(example, { idPrefix: 'bai' });
		expect(r.problems).toEqual([]);
		expect(new Set(r.questions.map((q) => q.type))).toEqual(
			new Set(['description', 'multichoice', 'truefalse', 'shortanswer', 'matching', 'numerical', 'essay'])
		);
		expect(r.questions.some((q) => q.stemAfter)).toBe(true);
		expect(r.questions.some((q) => q.type === 'multichoice' && !q.single)).toBe(true);
	});

	it('its example survives an export round trip', () => {
		const first = parseGift(example, { idPrefix: 'bai' }).questions;
		const again = parseGift(exportGift(first), { idPrefix: 'bai' }).questions;
		expect(again.map(({ line: _l, ...q }) => q)).toEqual(first.map(({ line: _l, ...q }) => q));
	});
});
