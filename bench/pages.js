// `npm run bench:pages`: for each page type, the compressed bytes of HTML, CSS and JS a browser downloads and the
// number of requests it makes, measured on the built app (embedded PGlite) with Debian's Chromium.
// Ends with one JSON line of the figures.
import { chromium } from '@playwright/test';
import { buildIfNeeded, startServer } from './support.js';

buildIfNeeded();
const server = await startServer();
const browser = await chromium.launch({
	executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
});

async function findPages() {
	const page = await browser.newPage();
	await page.goto(`${server.origin}/courses`);
	const courses = await page.locator('.card h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	let textLesson = null;
	let videoLesson = null;
	for (const c of courses) {
		await page.goto(server.origin + c);
		for (const li of await page.locator('.lesson-list li').all()) {
			const t = await li.innerText();
			const href = await li.locator('a').getAttribute('href');
			if (!videoLesson && t.includes('có video')) videoLesson = href;
			if (!textLesson && !t.includes('có video') && t.includes('câu hỏi')) textLesson = href;
		}
	}
	await page.close();
	return { home: '/', catalog: '/courses', course: courses[0], 'text lesson': textLesson, 'video lesson': videoLesson, verify: '/verify' };
}

/** Loads a page in a fresh context on a phone-sized screen and sums what crossed the wire, by type. */
async function measure(path) {
	const context = await browser.newContext({ viewport: { width: 360, height: 800 }, deviceScaleFactor: 2 });
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	const types = new Map();
	const sizes = { html: 0, css: 0, js: 0, other: 0 };
	let requests = 0;
	cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
	cdp.on('Network.loadingFinished', (e) => {
		requests++;
		const t = types.get(e.requestId);
		const key = t === 'Document' ? 'html' : t === 'Stylesheet' ? 'css' : t === 'Script' ? 'js' : 'other';
		sizes[key] += e.encodedDataLength;
	});
	const res = await page.goto(server.origin + path, { waitUntil: 'networkidle' });
	const status = res?.status();
	await context.close();
	return { status, ...sizes, htmlCssJs: sizes.html + sizes.css + sizes.js, requests };
}

const pages = await findPages();
const results = {};
console.log('page             status    HTML     CSS      JS  HTML+CSS+JS  other  requests   (bytes on the wire, compressed, incl. headers)');
for (const [name, path] of Object.entries(pages)) {
	if (!path) continue;
	const r = await measure(path);
	results[name] = { path, ...r };
	const kb = (n) => String(n).padStart(7);
	console.log(`${name.padEnd(16)} ${String(r.status).padStart(6)} ${kb(r.html)} ${kb(r.css)} ${kb(r.js)} ${kb(r.htmlCssJs).padStart(12)} ${kb(r.other)} ${String(r.requests).padStart(9)}`);
}
await browser.close();
await server.stop();
const budget = 14 * 1024;
const text = results['text lesson'];
if (text) console.log(`\ntext lesson HTML+CSS+JS: ${text.htmlCssJs} B of a ${budget} B budget (${text.htmlCssJs <= budget ? 'within' : 'OVER'})`);
console.log(JSON.stringify({ bench: 'pages', budgetBytes: budget, pages: results }));
