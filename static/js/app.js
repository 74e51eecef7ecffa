// Loaded by every page as a module (deferred, tiny). After the page's load event, so that nothing here delays
// reading: registers the service worker (offline use) and loads the offline store only where the browser has one,
// and the read-aloud module only where the page has text to read and the browser a Vietnamese voice.
const v = new URL(import.meta.url).search;

function start() {
	if ('serviceWorker' in navigator && 'caches' in window) {
		navigator.serviceWorker.register('/service-worker.js').catch(() => {});
		import(`/js/offline.js${v}`).then((m) => m.start()).catch(() => {});
	}
	if (document.querySelector('[data-read-aloud]') && 'speechSynthesis' in window) {
		import(`/js/read-aloud.js${v}`).then((m) => m.mountReadAloud(document)).catch(() => {});
	}
}

if (document.readyState === 'complete') start();
else addEventListener('load', start);
