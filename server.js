// Production entry: SvelteKit's node handler behind gzip/brotli compression (adapter-node does not compress
// dynamic responses), with prompt shutdown on SIGTERM/SIGINT.
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

const server = http.createServer((req, res) => {
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

let stopping = false;
function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	server.close();
	server.closeIdleConnections();
	// Lets the app close its database (PGlite keeps the process alive until closed).
	process.emit('sveltekit:shutdown', signal);
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
