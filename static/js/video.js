// Video only when asked: a lesson video shows its poster, its length and size, and a "Xem video" button; the
// player (video.js, about 75 KB) is downloaded only when the button is tapped. Without this script the browser's
// own player shows the same poster and downloads nothing before play (preload="none").
const base = document.currentScript.dataset.base;
let loading;

function add(tag, attrs) {
	return new Promise((resolve, reject) => {
		const el = Object.assign(document.createElement(tag), attrs, { onload: resolve, onerror: reject });
		document.head.append(el);
	});
}

/** video.js, its stylesheet and its Vietnamese words, once for the page. */
function loadPlayer() {
	loading ??= Promise.all([add('link', { rel: 'stylesheet', href: base + '/video-js.min.css' }), add('script', { src: base + '/video.core.min.js', async: false })]).then(() =>
		add('script', { src: base + '/vi.js', async: false })
	);
	return loading;
}

for (const figure of document.querySelectorAll('figure.lesson-video')) {
	const video = figure.querySelector('video');
	const cost = figure.querySelector('.video-cost');
	const start = document.createElement('button');
	start.type = 'button';
	start.className = 'video-start';
	start.textContent = '▶ Xem video';
	start.setAttribute('aria-label', `Xem video: ${video.getAttribute('aria-label')} ${cost ? cost.textContent : ''}`.trim());
	video.controls = false;
	figure.append(start);
	start.addEventListener('click', async () => {
		start.disabled = true;
		start.textContent = 'Đang tải…';
		try {
			await loadPlayer();
			const w = video.getAttribute('width');
			const h = video.getAttribute('height');
			const player = window.videojs(video, {
				fluid: true,
				aspectRatio: w && h ? `${w}:${h}` : undefined,
				language: 'vi',
				playbackRates: [0.75, 1, 1.25, 1.5],
				controlBar: { pictureInPictureToggle: false }
			});
			start.remove();
			player.play();
			player.focus();
		} catch {
			// The player could not be fetched (offline, for instance): the browser's own player plays the video.
			start.remove();
			video.controls = true;
			video.play().catch(() => {});
		}
	});
}
