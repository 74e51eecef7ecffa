/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline use. Registered by /js/app.js after the page's load event (pages ship no SvelteKit client, so SvelteKit
// does not register it). What it does:
// - pages always come from the network when there is one; only pages of a course the learner chose to store
//   ("Lưu để học khi không có mạng", stored by /js/offline.js as seen by a visitor, never as one person's page)
//   are answered from the phone when the network fails, else the "Không có mạng" page;
// - a quiz sent without network is kept on the phone (cache "hocso-queue") and /js/offline.js sends it when the
//   network is back; its submission key makes the server record it once however often it is sent;
// - a practice finished without network is kept the same way (put there by /js/practice.js) and sent with the rest;
// - course files (URLs carrying their content hash) and our scripts are answered from the phone when stored, and a
//   practice's steps (buoc.json) from the stored course when the network fails.
import { version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `hocso-shell-${version}`;
const QUEUE = 'hocso-queue';
const SHELL_FILES = ['/offline', `/js/app.js?v=${version}`, `/js/offline.js?v=${version}`, `/js/read-aloud.js?v=${version}`, '/favicon.svg', '/manifest.webmanifest'];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll(SHELL_FILES.map((u) => new Request(u, { credentials: 'omit' }))))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k.startsWith('hocso-shell-') && k !== SHELL).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

/** A stored page of a saved course (the query string is ignored: a result page falls back to its lesson). */
async function storedPage(url: URL): Promise<Response | undefined> {
	for (const name of await caches.keys()) {
		if (!name.startsWith('hocso-course-')) continue;
		const hit = await (await caches.open(name)).match(url.origin + url.pathname);
		if (hit) return hit;
	}
	return undefined;
}

async function navigate(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch {
		const url = new URL(request.url);
		return (await storedPage(url)) ?? (await caches.match('/offline', { cacheName: SHELL })) ?? Response.error();
	}
}

/** Sends a quiz; without network, keeps it on the phone and shows the lesson again with a note that it waits. */
async function sendQuiz(request: Request): Promise<Response> {
	const copy = request.clone();
	try {
		return await fetch(request);
	} catch {
		const form = await copy.formData();
		const key = String(form.get('submission') ?? '');
		if (!/^[A-Za-z0-9_-]{16,64}$/.test(key)) return Response.error();
		const fields: [string, string][] = [];
		form.forEach((value, name) => {
			if (typeof value === 'string') fields.push([name, value]);
		});
		const url = new URL(request.url);
		const entry = { url: url.pathname + url.search, fields, at: Date.now() };
		const queue = await caches.open(QUEUE);
		// One entry per submission key: the same form sent twice is one attempt, as on the server.
		await queue.put(`/__queue/${key}`, new Response(JSON.stringify(entry), { headers: { 'Content-Type': 'application/json' } }));
		return Response.redirect(`${url.origin}${url.pathname}?cho-gui=1`, 303);
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST') {
		if (request.mode === 'navigate' && url.search === '?/quiz' && url.pathname.startsWith('/courses/')) event.respondWith(sendQuiz(request));
		return;
	}
	if (request.method !== 'GET') return;
	if (request.mode === 'navigate') {
		event.respondWith(navigate(request));
		return;
	}
	// A practice's steps, for the script that plays it: the network's when there is one, else the stored course's.
	if (/^\/courses\/[^/]+\/[^/]+\/thuc-hanh\/[^/]+\/buoc\.json$/.test(url.pathname)) {
		event.respondWith(fetch(request).catch(async () => (await storedPage(url)) ?? Response.error()));
		return;
	}
	// Versioned files never change under one URL: a stored copy is as good as the network's.
	if (/^\/(media|js|assets|icons)\//.test(url.pathname) || url.pathname === '/favicon.svg' || url.pathname === '/manifest.webmanifest') {
		event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
	}
});
