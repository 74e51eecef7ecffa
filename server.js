// Production entry: SvelteKit's node handler behind gzip/brotli compression (adapter-node does not compress
// dynamic responses), with a prompt shutdown on SIGTERM/SIGINT that first lets the requests in flight finish.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';

// A new embedded database starts from the one prepared at build time (scripts/pglite-template.ts).
process.env.HOCSO_PGDATA_TEMPLATE ??= path.join(path.dirname(fileURLToPath(import.meta.url)), 'build', 'pgdata-template');
// ...and reads the content as rendered at build time when the files have not changed since (content/cache.ts).
process.env.HOCSO_CONTENT_CACHE_TEMPLATE ??= path.join(path.dirname(fileURLToPath(import.meta.url)), 'build', 'content-cache');

// Without ORIGIN, SvelteKit assumes https and refuses plain-http form posts. This server speaks plain http, so
// unless a proxy in front says otherwise (ORIGIN or PROTOCOL_HEADER set), it tells SvelteKit the truth:
// the page was requested over http, on whatever host name the browser used (a LAN address in a commune office).
if (!process.env.ORIGIN) delete process.env.ORIGIN; // an empty ORIGIN would be refused as an invalid URL
const markProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (markProtocol) process.env.PROTOCOL_HEADER = 'x-hocso-protocol';
const { handler } = await import('./build/handler.js');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const compress = compression({ threshold: 256 });

/** Responses not finished yet: a shutdown waits for them before it closes the database (see shutdown). */
const inFlight = new Set();
let stopping = false;
let whenDrained = () => {};

function responseEnded() {
	inFlight.delete(this);
	if (!stopping) return;
	// The connection it came on is not kept for another request (it was told so, see shutdown).
	server.closeIdleConnections();
	if (inFlight.size === 0) whenDrained();
}

const server = http.createServer((req, res) => {
	inFlight.add(res);
	res.once('close', responseEnded);
	if (stopping) res.setHeader('connection', 'close');
	if (markProtocol) req.headers['x-hocso-protocol'] = 'http';
	compress(req, res, (err) => {
		if (err) {
			res.statusCode = 500;
			res.end();
			return;
		}
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Không tìm thấy');
		});
	});
});
server.keepAliveTimeout = 65_000;

server.listen(port, host, () => {
	console.log(`Học Số đang chạy: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});

// How long a shutdown waits for the requests in flight (a quiz being stored, a page being sent) before it closes
// the database anyway: within the 10 s a container manager gives before killing.
const DRAIN_MS = 6000;

/**
 * Stops taking connections and requests, lets those in flight finish (their connections close after their
 * response), then closes the database: an answer sent just before a restart is stored and answered, not cut off
 * by a database closed under it.
 */
async function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	server.close();
	server.closeIdleConnections();
	for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
	if (inFlight.size > 0) {
		const drained = new Promise((resolve) => (whenDrained = resolve));
		const timeout = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
		await Promise.race([drained, timeout]);
		if (inFlight.size > 0) console.error(`Dừng sau ${DRAIN_MS / 1000} giây dù còn ${inFlight.size} yêu cầu chưa xong.`);
	}
	// Lets the app close its database (PGlite keeps the process alive until closed).
	process.emit('sveltekit:shutdown', signal);
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
