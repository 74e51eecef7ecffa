// `npm run bench:lighthouse`: Lighthouse 12.2.3 with its mobile defaults (simulated slow 4G, a mid-range phone)
// on the page types a learner meets, against the built app (embedded PGlite) in Debian's Chromium (CHROME_PATH,
// default /usr/bin/chromium). Prints the four category scores per page and ends with one JSON line of them.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { buildIfNeeded, newLearner, startServer } from './support.js';

buildIfNeeded();
const server = await startServer();
const chrome = await chromeLauncher.launch({
	chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
});

/** The first lesson with a quiz and no video, and the first with a video, read from the course pages' lesson lists. */
async function findLessons() {
	const catalog = await (await fetch(`${server.origin}/courses`)).text();
	const courses = [...catalog.matchAll(/<h2[^>]*><a href="(\/courses\/[^"]+)"/g)].map((m) => m[1]);
	let text = null;
	let video = null;
	for (const c of courses) {
		const html = await (await fetch(server.origin + c)).text();
		for (const li of html.match(/<li[^>]*>[\s\S]*?<\/li>/g) ?? []) {
			const href = /href="(\/courses\/[^"]+\/[^"]+)"/.exec(li)?.[1];
			if (!href) continue;
			if (!video && li.includes('có video')) video = href;
			if (!text && !li.includes('có video') && li.includes('câu hỏi')) text = href;
		}
	}
	return { text, video };
}

const { text, video } = await findLessons();
const learner = await newLearner(server.origin);
const result = await learner.submitQuiz(text);
const pages = {
	home: { path: '/' },
	catalog: { path: '/courses' },
	'text lesson': { path: text },
	'video lesson': { path: video },
	'quiz result': { path: result, cookie: learner.cookieHeader() },
	register: { path: '/register' },
	dashboard: { path: '/my', cookie: learner.cookieHeader() }
};

const scores = {};
console.log('page             performance  accessibility  best-practices  seo');
for (const [name, { path, cookie }] of Object.entries(pages)) {
	if (!path) continue;
	const run = await lighthouse(server.origin + path, {
		port: chrome.port,
		output: 'json',
		logLevel: 'error',
		onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
		...(cookie ? { extraHeaders: { Cookie: cookie } } : {})
	});
	const c = run.lhr.categories;
	scores[name] = {
		path,
		performance: c.performance.score,
		accessibility: c.accessibility.score,
		bestPractices: c['best-practices'].score,
		seo: c.seo.score
	};
	const s = scores[name];
	const below = Object.values(run.lhr.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual');
	console.log(`${name.padEnd(16)} ${String(s.performance).padStart(11)} ${String(s.accessibility).padStart(14)} ${String(s.bestPractices).padStart(15)} ${String(s.seo).padStart(4)}${below.length ? `   below 0.9: ${below.map((a) => a.id).join(', ')}` : ''}`);
}
await chrome.kill();
await server.stop();
console.log(JSON.stringify({ bench: 'lighthouse', lighthouse: '12.2.3', formFactor: 'mobile', pages: scores }));
