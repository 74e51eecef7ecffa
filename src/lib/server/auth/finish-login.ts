import type { Kysely } from 'kysely';
import type { RequestEvent } from '@sveltejs/kit';
import type { Database } from '$lib/server/db/schema';
import { rememberOnDevice, writeDeviceCookie, type DeviceEntry } from './device';
import { invalidateSession, setSessionTokenCookie, type Session } from './session';
import { clearDeviceIfAnotherLearner } from '$lib/server/offline/clear-device';

/**
 * How every log-in on a browser ends (password, card, reset or setup code): the learner who was logged in here
 * before is logged out (a visitor's session went with the visitor's row), and when that was another person what
 * they stored on the device goes; then the new session's cookie is set and the person is remembered on the device.
 */
export async function finishLogin(
	event: Pick<RequestEvent, 'locals' | 'cookies' | 'url' | 'setHeaders'>,
	database: Kysely<Database>,
	result: { userId: number; token: string; session: Pick<Session, 'expiresAt'> },
	device: DeviceEntry[]
): Promise<void> {
	const { user, session } = event.locals;
	if (session && user?.kind === 'learner') await invalidateSession(database, session.id);
	clearDeviceIfAnotherLearner(event, user, result.userId);
	setSessionTokenCookie(event, result.token, result.session.expiresAt);
	await writeDeviceCookie(database, event, rememberOnDevice(device, result.userId));
}
