import { describe, expect, test } from 'vitest';
import { clearDeviceIfAnotherLearner } from './clear-device';

function event() {
	const headers: Record<string, string> = {};
	return { headers, setHeaders: (h: Record<string, string>) => Object.assign(headers, h) };
}

describe('what a log-in leaves on the phone', () => {
	test('another learner logging in on the same browser clears what the previous one stored', () => {
		const e = event();
		clearDeviceIfAnotherLearner(e, { id: 7, kind: 'learner' }, 8);
		expect(e.headers['Clear-Site-Data']).toBe('"cache", "storage"');
	});
	test('the same learner again, a visitor (whose progress joins the account) or nobody: nothing is cleared', () => {
		for (const previous of [{ id: 8, kind: 'learner' }, { id: 3, kind: 'guest' }, null]) {
			const e = event();
			clearDeviceIfAnotherLearner(e, previous, 8);
			expect(e.headers).toEqual({});
		}
	});
});
