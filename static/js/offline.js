// Offline learning, loaded by /js/app.js after the load event where the browser can store pages.
// - "Lưu để học khi không có mạng" on a course page stores its pages (as a visitor sees them: no one's own data)
//   and files in the cache "hocso-course-<course>"; the service worker answers from it when there is no network.
// - Stored courses are checked against the server's version whenever a page opens online: a changed course is
//   stored again, a removed one deleted, so a course is never served from the phone after it changed.
// - Quizzes sent without network wait in the cache "hocso-queue" (put there by the service worker), as do practice
//   runs finished without network (put there by /js/practice.js), and are sent from here when the network is back;
//   the server records each submission key, and each run key, once.
const QUEUE = 'hocso-queue';
const SAVED = 'hocso-saved';
const WHO = 'hocso-who';
const courseCache = (slug) => `hocso-course-${slug}`;
// A page answered from the phone's store carries data-saved on <html> (added when it was stored).
const fromStore = document.documentElement.hasAttribute('data-saved');
const main = document.querySelector('main');

const readSaved = () => {
	try {
		return JSON.parse(localStorage.getItem(SAVED) || '{}');
	} catch {
		return {};
	}
};
const writeSaved = (saved) => localStorage.setItem(SAVED, JSON.stringify(saved));
const mb = (bytes) => `${Math.max(0.1, bytes / 1e6).toFixed(1).replace('.', ',')} MB`;

/** Who uses this browser: the page says so when it comes from the server; a stored page asks the last one that did. */
function currentWho() {
	if (!fromStore) localStorage.setItem(WHO, main?.dataset.who ?? '');
	return localStorage.getItem(WHO) ?? '';
}

/** A new submission key, as the server makes one for every form it renders (144 random bits, URL-safe). */
function newKey() {
	const bytes = crypto.getRandomValues(new Uint8Array(18));
	return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

function prepareQuizForms(who) {
	for (const form of document.querySelectorAll('form[action="?/quiz"]')) {
		// A stored page is the same HTML every time it opens: give each opening its own key, so two attempts made
		// offline count as two, while one form sent twice still counts once.
		const key = form.querySelector('input[name=submission]');
		if (fromStore && key) key.value = newKey();
		const owner = Object.assign(document.createElement('input'), { type: 'hidden', name: '_who', value: who });
		form.append(owner);
	}
}

function banner() {
	let p = document.querySelector('[data-queue-status]');
	if (!p) {
		p = Object.assign(document.createElement('p'), { className: 'notice' });
		p.setAttribute('data-queue-status', '');
		p.setAttribute('role', 'status');
		main?.prepend(p);
	}
	return p;
}

async function queued() {
	// Opening the cache would create it: most pages have nothing waiting.
	if (!(await caches.has(QUEUE))) return { entries: [] };
	const cache = await caches.open(QUEUE);
	const entries = [];
	for (const request of await cache.keys()) {
		const res = await cache.match(request);
		entries.push({ request, entry: await res.json() });
	}
	return { cache, entries: entries.sort((a, b) => a.entry.at - b.entry.at) };
}

const ownerOf = (entry) => (entry.fields.find(([name]) => name === '_who') || [])[1] || '';

/** Shows what waits, and sends it when online: each answer once, with the learner's own session. */
async function sendQueue(who) {
	const { cache, entries } = await queued();
	// Answers given while logged in as someone else stay for that person; a visitor's answers go to whoever
	// uses the browser now (as a visitor's progress joins the account they register or log in with).
	const mine = entries.filter(({ entry }) => !ownerOf(entry) || ownerOf(entry) === who);
	const justQueued = new URLSearchParams(location.search).has('cho-gui');
	if (!mine.length) {
		document.querySelector('[data-queue-status]')?.remove();
		return;
	}
	const status = banner();
	const waiting = () =>
		`${mine.length} bài làm chờ gửi: ${navigator.onLine ? 'đang gửi…' : 'sẽ tự gửi khi điện thoại có mạng.'}`;
	status.textContent = justQueued ? `Đã lưu bài làm trên máy. ${waiting()}` : waiting();
	if (!navigator.onLine) return;
	const results = [];
	const problems = [];
	let left = mine.length;
	let practices = 0;
	for (const { request, entry } of mine) {
		let answer;
		try {
			// A practice run (entry.json, kept by /js/practice.js) goes to its steps' address as JSON; a quiz as its form.
			const res = await fetch(
				entry.url,
				entry.json
					? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(entry.json) }
					: { method: 'POST', headers: { Accept: 'application/json' }, body: new URLSearchParams(entry.fields.filter(([name]) => name !== '_who')) }
			);
			if (res.status >= 500 || !(res.headers.get('content-type') || '').includes('json')) break;
			// A practice refused for now (too many new visitors on this network, the learner just logged in elsewhere)
			// waits for a later try.
			if (entry.json && (res.status === 409 || res.status === 429)) continue;
			answer = await res.json();
		} catch {
			break; // no network after all: the rest waits
		}
		await cache.delete(request);
		left--;
		if (entry.json) {
			if (answer.saved) practices++;
			else problems.push(answer.message || 'Bài thực hành này không còn trên Học Số.');
		} else if (answer.type === 'redirect') results.push(answer.location);
		else problems.push(answer.data?.quizMessage || 'Bài kiểm tra này không còn trên Học Số.');
	}
	status.replaceChildren();
	if (results.length + practices) status.append(`Đã gửi ${results.length + practices} bài làm. `);
	if (results.length) {
		const link = Object.assign(document.createElement('a'), { href: results[results.length - 1], textContent: 'Xem kết quả' });
		status.append(link);
	}
	for (const text of problems) status.append(` Một bài làm không gửi được: ${text}`);
	if (left) status.append(` ${left} bài làm chờ gửi: sẽ thử lại khi có mạng.`);
}

/** Stores a course's pages and files; on any failure nothing half-stored is kept. */
async function storeCourse(manifest, progress) {
	const name = courseCache(manifest.course);
	await caches.delete(name);
	const cache = await caches.open(name);
	const all = [...manifest.pages, ...manifest.files];
	try {
		let done = 0;
		for (const url of all) {
			// Without credentials: the stored copy is the page anyone sees, never one learner's own.
			const res = await fetch(url, { credentials: 'omit' });
			if (!res.ok) throw new Error(url);
			if (manifest.pages.includes(url)) {
				const html = (await res.text()).replace(/<html\b/, '<html data-saved');
				await cache.put(url, new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
			} else {
				await cache.put(url, res);
			}
			progress?.(++done, all.length);
		}
	} catch (e) {
		await caches.delete(name);
		throw e;
	}
	const saved = readSaved();
	saved[manifest.course] = { version: manifest.version, title: manifest.title, url: manifest.pages[0], bytes: manifest.bytes };
	writeSaved(saved);
}

async function forgetCourse(slug) {
	await caches.delete(courseCache(slug));
	const saved = readSaved();
	delete saved[slug];
	writeSaved(saved);
}

const manifestOf = async (slug) => {
	const res = await fetch(`/courses/${encodeURIComponent(slug)}/offline.json`, { credentials: 'omit' });
	if (res.status === 404) return null;
	if (!res.ok) throw new Error(String(res.status));
	return res.json();
};

/** Online: every stored course matches the server's version, or is stored again, or is removed. */
async function refreshStored() {
	for (const [slug, info] of Object.entries(readSaved())) {
		let manifest;
		try {
			manifest = await manifestOf(slug);
		} catch {
			return; // no network: try on the next page
		}
		if (!manifest) await forgetCourse(slug);
		else if (manifest.version !== info.version) await storeCourse(manifest).catch(() => forgetCourse(slug));
	}
}

function courseBox() {
	const box = document.querySelector('[data-offline-course]');
	if (!box) return;
	const slug = box.dataset.offlineCourse;
	const state = box.querySelector('[data-offline-state]');
	const button = box.querySelector('[data-offline-action]');
	let manifest = null;
	const show = async () => {
		const info = readSaved()[slug];
		if (info) {
			state.textContent = `✓ Đã lưu trên máy (khoảng ${mb(info.bytes)}). Các bài của khóa này mở được cả khi không có mạng; bài làm gửi khi có mạng lại.`;
			button.textContent = 'Xóa khỏi máy';
		} else {
			if (!manifest && navigator.onLine) manifest = await manifestOf(slug).catch(() => null);
			if (!manifest) return;
			const practices = manifest.pages.length - 1 - manifest.lessons > 0;
			state.textContent = `Lưu ${manifest.lessons} bài và hình của khóa này trên máy (cần khoảng ${mb(manifest.bytes)}) để đọc, làm bài kiểm tra${practices ? ' và thực hành' : ''} cả khi mất sóng. Video vẫn cần có mạng.`;
			button.textContent = 'Lưu để học khi không có mạng';
		}
		box.hidden = false;
	};
	button.addEventListener('click', async () => {
		button.disabled = true;
		try {
			if (readSaved()[slug]) {
				await forgetCourse(slug);
			} else {
				manifest = await manifestOf(slug);
				navigator.storage?.persist?.().catch(() => {});
				await storeCourse(manifest, (n, total) => (state.textContent = `Đang lưu ${n}/${total}…`));
			}
			await show();
		} catch {
			state.textContent = 'Chưa lưu được: mạng bị ngắt hoặc máy hết chỗ. Hãy thử lại khi có mạng.';
		} finally {
			button.disabled = false;
		}
	});
	show();
}

/** The "Không có mạng" page lists the courses stored on this phone. */
function listStored() {
	const place = document.querySelector('[data-saved-courses]');
	const saved = Object.values(readSaved());
	if (!place || !saved.length) return;
	const list = document.createElement('ul');
	for (const c of saved) {
		const li = document.createElement('li');
		li.append(Object.assign(document.createElement('a'), { href: c.url, textContent: c.title }));
		list.append(li);
	}
	place.replaceWith(list);
}

export async function start() {
	const who = currentWho();
	prepareQuizForms(who);
	listStored();
	courseBox();
	const send = () => (navigator.locks ? navigator.locks.request(QUEUE, () => sendQueue(who)) : sendQueue(who));
	addEventListener('online', send);
	await send();
	if (!fromStore && navigator.onLine) await refreshStored();
}
