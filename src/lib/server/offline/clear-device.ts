import type { RequestEvent } from '@sveltejs/kit';

/**
 * When the person using a browser changes (logging out, "Đổi người học" on a shared phone), the browser drops
 * what this site stored: courses saved for offline use, answers waiting to be sent, and the service worker
 * (registered again on the next page). Cookies are left alone (the text-size choice stays).
 * Note: assumes the response is a page load or a form post of the browser itself, as Clear-Site-Data is honoured
 * only on responses to secure contexts (https, or localhost / 127.0.0.1).
 */
export function clearDeviceStorage(event: Pick<RequestEvent, 'setHeaders'>): void {
	event.setHeaders({ 'Clear-Site-Data': '"cache", "storage"' });
}

/**
 * After a log-in on a browser where someone was logged in already: when that was another person, what they stored
 * goes (a visitor's things stay: their progress joins the account they log in to).
 */
export function clearDeviceIfAnotherLearner(event: Pick<RequestEvent, 'setHeaders'>, previous: { id: number; kind: string } | null, userId: number): void {
	if (previous?.kind === 'learner' && previous.id !== userId) clearDeviceStorage(event);
}
