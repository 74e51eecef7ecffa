// Plays a practice without page loads: the steps come as JSON from <practice>/buoc.json, each tap or entry is
// checked here and the next step drawn in place (instruction, screen, a labelled button over each tap target, the
// text field). The run is sent whole to the server at the end (or when the page is left), which replays it and
// counts it once per run key. A run finished without network waits on the phone with the quizzes sent offline (cache
// "hocso-queue", sent by /js/offline.js on the next page online, or from here when the network is back). A page
// from a stored course (data-saved) is the same HTML every time: each opening gets its own run key. Without this
// script, or if it fails, the page's forms work as they are.
const QUEUE = 'hocso-queue';
const root = document.querySelector('[data-practice-src]');
const fromStore = document.documentElement.hasAttribute('data-saved');

function h(tag, props = {}, ...kids) {
	const el = Object.assign(document.createElement(tag), props);
	el.append(...kids.filter((k) => k != null && k !== false));
	return el;
}

/** A new run key, as the server makes one (144 random bits, URL-safe). */
const newKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18)))).replace(/\+/g, '-').replace(/\//g, '_');

/** Sends a run: the server's answer, or null when it did not arrive (no network, server error). */
async function send(item) {
	try {
		const res = await fetch(item.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(item.json), credentials: 'same-origin' });
		return res.status < 500 ? { status: res.status, ...(await res.json().catch(() => ({}))) } : null;
	} catch {
		return null;
	}
}

/** Keeps a run on the phone for whoever played it (the learner named by the page, or by the last page online). */
async function keep(item) {
	const who = (fromStore ? localStorage.getItem('hocso-who') : document.querySelector('main')?.dataset.who) ?? '';
	const entry = { ...item, fields: [['_who', who]], at: Date.now() };
	// One entry per run key: the same run kept twice is one run, as on the server.
	await (await caches.open(QUEUE)).put(`/__queue/${item.json.run}`, new Response(JSON.stringify(entry), { headers: { 'Content-Type': 'application/json' } }));
}

/** Back online on the same page: sends the kept run (unless another page already did), then drops it. */
function sendKept(item, done) {
	const key = `/__queue/${item.json.run}`;
	const attempt = async () => {
		const cache = await caches.open(QUEUE);
		// Sent from another page meanwhile: that page said how it went.
		if (!(await cache.match(key))) return;
		const r = await send(item);
		if (!r || r.status === 409 || r.status === 429) return;
		await cache.delete(key);
		done(r);
	};
	addEventListener('online', () => (navigator.locks ? navigator.locks.request(QUEUE, attempt) : attempt()), { once: true });
}

async function start() {
	const url = root.dataset.practiceSrc;
	const p = await (await fetch(url)).json();
	// A run is replayed from its start on the server: a step opened by its address, or a page answering a form
	// (a wrong tap, a refused entry), plays on with the forms.
	if (root.dataset.step !== p.start || root.querySelector('.practice-wrong, .practice-message')) return;
	const run = fromStore ? newKey() : root.dataset.run;
	const moves = [];
	let at = root.dataset.step;
	let sent = false;
	const say = root.querySelector('#practice-say');
	const box = root.querySelector('.practice-screen');
	const img = box.querySelector('img');
	const msg = h('div', { id: 'practice-live', className: 'practice-live' });
	msg.setAttribute('role', 'status');
	say.after(msg);
	say.tabIndex = -1;
	const field = h('input', { id: 'practice-value', autocomplete: 'off' });
	const fieldLabel = h('label', { htmlFor: 'practice-value' });
	const err = h('p', { id: 'practice-message', className: 'practice-message' });
	const form = h('form', { className: 'practice-input' }, fieldLabel, field, err, h('button', { type: 'submit', textContent: 'Tiếp tục' }));
	root.querySelectorAll('.practice-input, .practice-wrong, .practice-done, .practice-after, .practice-message').forEach((el) => el.remove());
	msg.after(form);
	const after = h('p', { className: 'practice-after' }, h('a', { className: 'btn', href: root.dataset.lesson, textContent: 'Quay lại bài học' }), ' ', h('a', { className: 'btn secondary', href: location.pathname, textContent: 'Làm lại từ đầu' }));
	root.append(after);

	const saved = (r) => {
		if (r.completed) msg.append(h('p', { textContent: 'Đã ghi nhận: bạn đã làm xong bài thực hành này.' }, r.recordCode ? h('a', { href: `/records/${r.recordCode}`, textContent: ' Xem giấy chứng nhận.' }) : null));
		else if (r.message) msg.append(h('p', { textContent: r.message }));
	};
	const finish = async () => {
		if (sent || !moves.length) return;
		sent = true;
		const item = { url, json: { run, moves } };
		const r = await send(item);
		if (!r || r.status === 409 || r.status === 429) {
			const waiting = h('p', { textContent: 'Chưa gửi được: kết quả được giữ trên máy và sẽ tự gửi khi có mạng.' });
			try {
				await keep(item);
			} catch {
				waiting.textContent = 'Chưa gửi được và máy không giữ được kết quả. Hãy làm lại khi có mạng.';
			}
			msg.append(waiting);
			sendKept(item, (answer) => {
				waiting.remove();
				saved(answer);
			});
		} else saved(r);
	};
	addEventListener('pagehide', () => {
		if (!sent && moves.length) navigator.sendBeacon?.(url, new Blob([JSON.stringify({ run, moves })], { type: 'application/json' }));
	});

	let first = true;
	const show = (id, wrong) => {
		const s = p.steps[id];
		const moved = id !== at;
		at = id;
		say.textContent = s.say;
		msg.className = 'practice-live' + (wrong ? ' practice-wrong' : s.end ? ' practice-done' : '');
		msg.replaceChildren();
		if (wrong) msg.append(h('p', {}, h('strong', { textContent: 'Chưa đúng. ' }), wrong), s.hint ? h('p', {}, h('strong', { textContent: 'Gợi ý: ' }), s.hint) : null);
		if (s.end) msg.append(h('p', {}, h('strong', { textContent: 'Hoàn thành. ' }), s.feedback ?? ''));
		form.style.display = s.input ? '' : 'none';
		if (s.input && moved) {
			fieldLabel.textContent = s.input.label;
			field.value = '';
			field.maxLength = s.input.max;
			field.removeAttribute('aria-invalid');
			err.textContent = '';
		}
		after.style.display = s.end ? '' : 'none';
		if (!moved) return;
		img.src = s.screen;
		img.alt = `Màn hình điện thoại mô phỏng: ${s.say}`;
		box.style.aspectRatio = s.ratio;
		box.querySelectorAll('.practice-target').forEach((b) => b.remove());
		s.targets.forEach((t, i) => {
			const b = h('button', { type: 'button', className: 'practice-target' });
			b.setAttribute('aria-label', t.label);
			['left', 'top', 'width', 'height'].forEach((k, j) => (b.style[k] = `${t.box[j]}%`));
			b.onclick = () => {
				moves.push({ step: at, target: i });
				if (t.go) show(t.go);
				else show(at, t.wrong);
			};
			box.append(b);
		});
		msg.tabIndex = -1;
		// A long instruction pushes the screen down: the practice is brought to the top when a tap target is below the fold.
		if (Math.max(0, ...[...box.querySelectorAll('.practice-target')].map((b) => b.getBoundingClientRect().bottom)) > innerHeight) root.scrollIntoView();
		if (!first) (s.end ? msg : say).focus({ preventScroll: !s.end });
		first = false;
		if (s.end) finish();
	};
	form.onsubmit = (e) => {
		e.preventDefault();
		const s = p.steps[at];
		const value = field.value.trim();
		moves.push({ step: at, value });
		const ok = [...value].length <= s.input.max && new RegExp(s.input.pattern, 'u').test(value);
		if (ok) return show(s.input.go);
		err.textContent = s.input.message + (s.hint ? ` Gợi ý: ${s.hint}` : '');
		err.setAttribute('role', 'alert');
		field.setAttribute('aria-invalid', 'true');
		field.setAttribute('aria-describedby', 'practice-message');
		field.focus();
	};
	at = null;
	show(root.dataset.step);
}

if (root) start().catch(() => {});
