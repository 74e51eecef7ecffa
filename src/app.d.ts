// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Set by authHandle in hooks.server.ts: the person behind the request (guest or learner), or null. */
			user: import('$lib/server/auth/user').User | null;
			session: import('$lib/server/auth/session').Session | null;
			/** A session cookie whose check authHandle left to the quiz action (see auth/request-session.ts). */
			deferredSessionToken?: string;
			/**
			 * Set by authHandle on a lesson page: the user's progress in it, and whether they opened it before (the
			 * trainers' analytics), read with the session (see validateSessionToken).
			 */
			lessonProgress?: { course: string; lesson: string; progress: import('$lib/server/auth/session').PageLessonProgress | null; opened: boolean };
			/** Set by authHandle when the session was extended: the response must carry the session cookie again. */
			sessionRenewed?: boolean;
			/** Set by handleError when a load or action failed because the database is away: the answer becomes a 503. */
			databaseUnavailable?: boolean;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
