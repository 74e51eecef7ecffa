import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_CAPTION_CPS, fastCaptionCues, parseCaptionCues } from './captions';

describe('caption reading speed', () => {
	it('measures characters per second of each cue', () => {
		const vtt = 'WEBVTT\n\nNOTE a comment\n\n00:00:00.000 --> 00:00:02.000\nMười ký tự\n\n00:00:02.000 --> 00:00:03.000\n<v Ai>Hai mươi ký tự ở đây nè</v>\n';
		const cues = parseCaptionCues(vtt);
		expect(cues.map((c) => [c.line, c.cps])).toEqual([
			[5, 5],
			[8, 23]
		]);
		expect(fastCaptionCues(vtt).map((c) => c.line)).toEqual([8]);
	});

	it('counts hours and multi-line cues, and rejects zero-length cues', () => {
		const vtt = 'WEBVTT\n\n01:00:00.000 --> 01:00:04.000\nmột\nhai\n\n00:00:05.000 --> 00:00:05.000\nx\n';
		const [a, b] = parseCaptionCues(vtt);
		expect(a.start).toBe(3600);
		expect(a.text).toBe('một hai');
		expect(b.cps).toBe(Infinity);
	});

	it('every lesson video in content/ has captions no faster than the limit', () => {
		const root = path.resolve('content/courses');
		const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.vtt'));
		expect(files.length).toBeGreaterThan(0);
		for (const f of files) {
			const text = fs.readFileSync(path.join(root, f), 'utf8');
			expect(parseCaptionCues(text).length, f).toBeGreaterThan(0);
			const fast = fastCaptionCues(text).map((c) => `${f}:${c.line} ${c.cps.toFixed(1)}`);
			expect(fast, `faster than ${MAX_CAPTION_CPS} characters per second`).toEqual([]);
		}
	});
});
