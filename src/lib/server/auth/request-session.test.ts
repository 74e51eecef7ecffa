import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { isQuizFormPost } from './request-session';

const LESSON_ROUTE = '/courses/[course]/[lesson]';

function event(method: string, routeId: string | null, address: string): RequestEvent {
	return { request: new Request(`http://hocso.test${address}`, { method }), route: { id: routeId }, url: new URL(`http://hocso.test${address}`) } as RequestEvent;
}

describe('isQuizFormPost', () => {
	it('is the quiz form of a lesson page posted, and nothing else', () => {
		expect(isQuizFormPost(event('POST', LESSON_ROUTE, '/courses/k/b?/quiz'))).toBe(true);
		// Another action of the same page, the same action name on another route, an address SvelteKit reads as
		// another action, the page itself.
		expect(isQuizFormPost(event('POST', LESSON_ROUTE, '/courses/k/b?/done'))).toBe(false);
		expect(isQuizFormPost(event('POST', '/register', '/register?/quiz'))).toBe(false);
		expect(isQuizFormPost(event('POST', LESSON_ROUTE, '/courses/k/b?/done&/quiz'))).toBe(false);
		expect(isQuizFormPost(event('GET', LESSON_ROUTE, '/courses/k/b?/quiz'))).toBe(false);
	});
});
