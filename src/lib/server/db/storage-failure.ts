// Failures of the embedded database's storage: the data directory became read-only, the disk is full, a file was
// removed. PGlite can be left unable to write after one (every later write failing until a restart), so these are
// told apart from ordinary query errors (a constraint, a bad value), which leave the database as it was.

const STORAGE_SQLSTATES = new Set(['53100', '58030', '58P01', '58P02']);
const FILE_MESSAGE =
	/could not (create|open|write|extend|fsync|read|rename|truncate|link|remove|unlink|access)\b.*\b(file|directory)|is not a directory|No such file or directory|No space left on device|Read-only file system/i;

/** True when `error` says the database could not use its files. */
export function isStorageFailure(error: unknown): boolean {
	if (!error || typeof error !== 'object') return false;
	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string' && STORAGE_SQLSTATES.has(code)) return true;
	const message = (error as { message?: unknown }).message;
	if (typeof message === 'string' && FILE_MESSAGE.test(message)) return true;
	// The WebAssembly PostgreSQL itself stopped (an abort inside it): nothing more can be run on it.
	return error instanceof WebAssembly.RuntimeError;
}
