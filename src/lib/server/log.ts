// Logging errors without personal data. Database errors carry the SQL, its parameters (password hashes, names,
// phone numbers) and a `detail` such as `Key (phone)=(0912345678) already exists.`: only the error's name, SQLSTATE,
// message and stack are logged, and values quoted in the message are hidden.

/** Values a PostgreSQL message quotes after a colon (`invalid input syntax for type integer: "abc"`). */
const QUOTED_VALUE = /: "(?:[^"\\]|\\.)*"/g;

function oneError(e: unknown): string {
	if (!(e instanceof Error)) {
		if (e && typeof e === 'object' && 'message' in e) return `error: ${String((e as { message: unknown }).message).replace(QUOTED_VALUE, ': "…"')}`;
		return `thrown value of type ${typeof e}`;
	}
	const code = (e as { code?: unknown }).code;
	const head = `${e.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${e.message.replace(QUOTED_VALUE, ': "…"')}`;
	// The stack's first line repeats the message (with any quoted value): keep only the frames.
	const frames = (e.stack ?? '')
		.split('\n')
		.filter((l) => /^\s+at /.test(l))
		.slice(0, 12);
	return [head, ...frames].join('\n');
}

/** An error as text safe for the log: name, code, message and stack of it and its causes, no SQL or parameters. */
export function describeError(error: unknown): string {
	const parts: string[] = [];
	for (let e = error, depth = 0; e !== undefined && depth < 4; e = (e as { cause?: unknown } | null)?.cause, depth++) {
		parts.push((depth ? 'caused by ' : '') + oneError(e));
		if (!e || typeof e !== 'object') break;
	}
	return parts.join('\n');
}

/** Logs an unexpected error with what was being done, never with the query, its parameters or a request body. */
export function logError(context: string, error: unknown): void {
	console.error(`${context}: ${describeError(error)}`);
}
