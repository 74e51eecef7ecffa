// Loaded by every page as a module (deferred, tiny). After the page's load event, so that nothing here delays
// reading: registers the service worker, then loads the offline store only where there is something for it to do
// (a course to store, stored courses to keep up to date, answers waiting, a stored page), and the read-aloud
// module only where the page has text to read and the browser a Vietnamese voice.
const v = new URL(import.meta.url).search;
const root = document.documentElement;

async function offline() {
	if (!('serviceWorker' in navigator && 'caches' in window)) return;
	navigator.serviceWorker.register('/service-worker.js').catch(() => {});
	const stored = root.hasAttribute('data-saved');
	// Who uses this browser (answers kept on the phone are sent for them only); a stored page cannot say.
	if (!stored) localStorage.setItem('hocso-who', document.querySelector('main')?.dataset.who ?? '');
	const needed =
		stored ||
		document.querySelector('[data-offline-course], [data-saved-courses]') ||
		(localStorage.getItem('hocso-saved') ?? '{}') !== '{}' ||
		(await caches.has('hocso-queue'));
	if (needed) (await import(`/js/offline.js${v}`)).start();
}

function readAloud() {
	const synth = window.speechSynthesis;
	if (!synth || !document.querySelector('[data-read-aloud]')) return;
	const load = () => synth.getVoices().some((x) => /^vi([-_]|$)/i.test(x.lang)) && import(`/js/read-aloud.js${v}`).then((m) => m.mountReadAloud(document));
	if (!load()) synth.addEventListener?.('voiceschanged', load, { once: true });
}

function start() {
	offline().catch(() => {});
	readAloud();
}

if (document.readyState === 'complete') start();
else addEventListener('load', start);
