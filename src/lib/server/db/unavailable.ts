// Telling "the database is away" (a PostgreSQL restart, failover, a network cut) from a bug in our code: the first
// is answered with 503 and a page asking to try again, the second with 500.

/** SQLSTATE classes and codes that mean the server is going away or not yet back. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
// node-postgres reports a connection that ended under a query, or a pool that could not connect in time, by message.
const UNAVAILABLE_MESSAGES = [
	'Connection terminated',
	'connection timeout',
	'Client has encountered a connection error',
	'Client was closed and is not queryable',
	'terminating connection due to administrator command'
];

/** Thrown by our own code when the embedded database cannot be written any more (see connect.ts). */
export class DatabaseUnavailableError extends Error {}

/** True when `error` (or an error in its `cause` chain) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		if (e instanceof DatabaseUnavailableError) return true;
		if (typeof e !== 'object') return false;
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_ERRNOS.has(code))) return true;
		if (e instanceof AggregateError && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
		const message = (e as { message?: unknown }).message;
		if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
	}
	return false;
}

/** Seconds a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 30;

const PAGE = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tạm thời gián đoạn · Học Số</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}h1{font-size:1.5rem}a{color:#0b5c47}</style>
</head>
<body>
<main>
<h1>Học Số tạm thời gián đoạn</h1>
<p>Máy chủ không kết nối được với cơ sở dữ liệu. Những gì bạn đã học và đã được lưu vẫn còn nguyên.</p>
<p>Vui lòng thử lại sau ít phút. Nếu bạn vừa gửi bài, hãy gửi lại: bài làm sẽ không bị tính hai lần.</p>
<p><a href="/courses">Về danh sách khóa học</a></p>
</main>
</body>
</html>
`;

/** The 503 answer while the database is away: a Vietnamese page for browsers, a short JSON body for scripts. */
export function unavailableResponse(request: Request): Response {
	const headers = new Headers({
		'Retry-After': String(RETRY_AFTER_SECONDS),
		'Cache-Control': 'no-store'
	});
	const accept = request.headers.get('accept') ?? '';
	if (accept.includes('application/json') && !accept.includes('text/html')) {
		headers.set('Content-Type', 'application/json');
		return new Response(JSON.stringify({ type: 'error', status: 503, error: { message: 'Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.' } }), { status: 503, headers });
	}
	headers.set('Content-Type', 'text/html; charset=utf-8');
	headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
	return new Response(PAGE, { status: 503, headers });
}
