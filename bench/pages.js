// `npm run bench:pages`: for each page type, the compressed bytes of HTML, CSS and JS a browser downloads and the
// number of requests it makes, measured on the built app (embedded PGlite) with Debian's Chromium, on a first view
// (cold cache) until the network is quiet, so scripts loaded after the load event count too.
// The certificate is measured on the small test courses (one lesson to finish). Ends with one JSON line.
import { chromium } from '@playwright/test';
import { buildIfNeeded, newLearner, startServer } from './support.js';

buildIfNeeded();
const server = await startServer();
const fixtures = await startServer({ HOCSO_CONTENT_DIR: 'tests/fixtures/content' });
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
	const learner = await newLearner(server.origin);
	const result = await learner.submitQuiz(textLesson);
	// The one-lesson test course: its only question is true/false, answered "true".
	const finisher = await newLearner(fixtures.origin);
	const finished = await (await fetch(fixtures.origin + (await finisher.submitQuiz('/courses/khoa-mot-bai/bai-duy-nhat', { 'q.m-1': 'true' })), { headers: { Cookie: finisher.cookieHeader() } })).text();
	const certificate = /href="(\/records\/[^"]+)"/.exec(finished)?.[1];
	const own = (path) => ({ path, origin: server.origin, cookies: learner.cookies() });
	return {
		home: { path: '/' },
		catalog: { path: '/courses' },
		course: { path: courses[0] },
		'text lesson': { path: textLesson },
		'video lesson': { path: videoLesson },
		'quiz result': own(result),
		login: { path: '/login' },
		register: { path: '/register' },
		verify: { path: '/verify' },
		// The first step of the scam practice, with the script that plays it and the steps it loads.
		'practice step': { path: '/courses/an-toan-tren-mang/thuc-hanh-nhan-dien-lua-dao/thuc-hanh/ba-tinh-huong-lua-dao' },
		offline: { path: '/offline' },
		dashboard: own('/my'),
		account: own('/account'),
		certificate: { path: certificate, origin: fixtures.origin, cookies: finisher.cookies() }
	};
}

/** Loads a page in a fresh context on a phone-sized screen and sums what crossed the wire, by type. */
async function measure({ path, origin = server.origin, cookies = [] }) {
	const context = await browser.newContext({ viewport: { width: 360, height: 800 }, deviceScaleFactor: 2 });
	await context.addCookies(cookies);
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
	const res = await page.goto(origin + path, { waitUntil: 'networkidle' });
	const status = res?.status();
	await context.close();
	return { status, ...sizes, htmlCssJs: sizes.html + sizes.css + sizes.js, requests };
}

const pages = await findPages();
const results = {};
console.log('page             status    HTML     CSS      JS  HTML+CSS+JS  other  requests   (bytes on the wire, compressed, incl. headers)');
for (const [name, target] of Object.entries(pages)) {
	if (!target.path) continue;
	const r = await measure(target);
	results[name] = { path: target.path, ...r };
	const kb = (n) => String(n).padStart(7);
	console.log(`${name.padEnd(16)} ${String(r.status).padStart(6)} ${kb(r.html)} ${kb(r.css)} ${kb(r.js)} ${kb(r.htmlCssJs).padStart(12)} ${kb(r.other)} ${String(r.requests).padStart(9)}`);
}
await browser.close();
await server.stop();
await fixtures.stop();
// The budgets asserted by tests/e2e/budgets.spec.ts.
const HEAVY = new Set(['dashboard', 'account', 'certificate']);
const budgets = { light: 14 * 1024, heavy: 50 * 1024 };
console.log('');
for (const [name, r] of Object.entries(results)) {
	const budget = HEAVY.has(name) ? budgets.heavy : budgets.light;
	r.budget = budget;
	if (r.htmlCssJs > budget) console.log(`${name}: ${r.htmlCssJs} B is OVER its ${budget} B budget`);
}
console.log(JSON.stringify({ bench: 'pages', budgets, pages: results }));
