// Reading aloud with the browser's speech synthesis, for people who read with difficulty. Reusable: any page part
// marked data-read-aloud gets a reading bar (data-read-aloud="bar": read, pause, stop, speed) or one small button
// (data-read-aloud="button", e.g. a quiz question or a practice exercise's instructions). Sentences are read in
// order, one utterance each, and the one being read is highlighted. Shown only where a Vietnamese voice exists.
//
//   import { findVietnameseVoice, createReader, mountReadAloud } from '/js/read-aloud.js';
//   const voice = await findVietnameseVoice();            // null: do not offer reading aloud
//   const reader = createReader(voice, { rate: 1 });
//   reader.read([element, ...]);                            // reads the elements' text, sentence by sentence

const HIGHLIGHT = 'doc-to';
const RATES = [
	[0.75, 'Chậm'],
	[1, 'Vừa'],
	[1.25, 'Nhanh']
];
/** Blocks read one after another, in page order; a block inside another is read with it. */
const BLOCKS = 'h2, h3, h4, p, li, figcaption, legend, label, td, th, dt, dd, summary';

/** The browser's Vietnamese voice, or null. Voices can arrive a moment after the page loads. */
export function findVietnameseVoice(synth = window.speechSynthesis) {
	const pick = () => synth.getVoices().find((v) => /^vi([-_]|$)/i.test(v.lang)) ?? null;
	const now = pick();
	if (now || !synth.addEventListener) return Promise.resolve(now);
	return new Promise((resolve) => {
		const done = () => {
			synth.removeEventListener('voiceschanged', done);
			resolve(pick());
		};
		synth.addEventListener('voiceschanged', done);
		setTimeout(done, 2000);
	});
}

/** Sentences of an element's text, each with the DOM range it covers. */
export function sentences(element) {
	const nodes = [];
	let text = '';
	const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
		// Our own buttons and hidden text are not read.
		acceptNode: (n) => (n.parentElement?.closest('[data-read-aloud-ui], [hidden], .visually-hidden, script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)
	});
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		nodes.push({ node: n, start: text.length });
		text += n.data;
	}
	const at = (offset) => {
		let i = nodes.length - 1;
		while (i > 0 && nodes[i].start > offset) i--;
		return { node: nodes[i].node, offset: Math.min(offset - nodes[i].start, nodes[i].node.data.length) };
	};
	const out = [];
	for (const m of text.matchAll(/[^.!?…]+(?:[.!?…]+["”’)]*|$)/g)) {
		const spoken = m[0].replace(/\s+/g, ' ').trim();
		if (!/[\p{L}\p{N}]/u.test(spoken)) continue;
		const lead = m[0].length - m[0].trimStart().length;
		const range = document.createRange();
		const a = at(m.index + lead);
		const b = at(m.index + m[0].trimEnd().length);
		range.setStart(a.node, a.offset);
		range.setEnd(b.node, b.offset);
		out.push({ text: spoken, range });
	}
	return out;
}

/** The blocks of `root` to read, outermost only (a list item's paragraph is read once, with the item). */
function blocksOf(root) {
	const all = root.matches(BLOCKS) ? [root] : [...root.querySelectorAll(BLOCKS)];
	return all.filter((el) => !all.some((other) => other !== el && other.contains(el)) && !el.closest('[data-read-aloud-ui]'));
}

/** A reader: one at a time on the page (starting one stops any other). */
export function createReader(voice, { rate = 1, onState = () => {} } = {}) {
	const synth = window.speechSynthesis;
	let queue = [];
	let run = 0;
	const highlight = (range) => {
		if (globalThis.CSS?.highlights && globalThis.Highlight) {
			if (range) CSS.highlights.set(HIGHLIGHT, new Highlight(range));
			else CSS.highlights.delete(HIGHLIGHT);
		}
		const block = range?.startContainer.parentElement;
		document.querySelectorAll('.doc-to-block').forEach((el) => el.classList.remove('doc-to-block'));
		block?.closest(BLOCKS)?.classList.add('doc-to-block');
		block?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
	};
	const speakNext = (mine) => {
		if (mine !== run) return;
		const next = queue.shift();
		if (!next) {
			highlight(null);
			onState('stopped');
			return;
		}
		const u = new SpeechSynthesisUtterance(next.text);
		u.voice = voice;
		u.lang = voice.lang;
		u.rate = reader.rate;
		u.onstart = () => mine === run && highlight(next.range);
		u.onend = () => speakNext(mine);
		u.onerror = () => speakNext(mine);
		synth.speak(u);
	};
	const reader = {
		rate,
		read(elements) {
			synth.cancel();
			queue = elements.flatMap((el) => blocksOf(el).flatMap(sentences));
			const mine = ++run;
			onState('reading');
			speakNext(mine);
		},
		pause() {
			synth.pause();
			onState('paused');
		},
		resume() {
			synth.resume();
			onState('reading');
		},
		stop() {
			run++;
			queue = [];
			synth.cancel();
			highlight(null);
			onState('stopped');
		}
	};
	return reader;
}

function button(text, label) {
	const b = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary doc-to-btn', textContent: text });
	if (label) b.setAttribute('aria-label', label);
	return b;
}

/** Adds reading controls to every [data-read-aloud] part of `root`, if the browser has a Vietnamese voice. */
export async function mountReadAloud(root = document) {
	const parts = [...root.querySelectorAll('[data-read-aloud]')];
	if (!parts.length || !('speechSynthesis' in window)) return;
	const voice = await findVietnameseVoice();
	if (!voice) return;
	let current = null;
	for (const part of parts) {
		const bar = document.createElement('div');
		bar.className = 'doc-to-bar';
		bar.setAttribute('data-read-aloud-ui', '');
		const start = button('🔊 Đọc to', part.dataset.readAloudLabel);
		bar.append(start);
		let reader;
		const setState = (state) => {
			start.textContent = state === 'reading' ? '⏸ Tạm dừng' : state === 'paused' ? '▶ Đọc tiếp' : '🔊 Đọc to';
			// The spoken name says what the button does now; when stopped, what it reads ("Đọc to câu 2").
			if (state === 'stopped' && part.dataset.readAloudLabel) start.setAttribute('aria-label', part.dataset.readAloudLabel);
			else start.removeAttribute('aria-label');
			stop.hidden = state === 'stopped';
			if (state === 'stopped' && current === reader) current = null;
			bar.dataset.state = state;
		};
		const stop = button('⏹ Dừng');
		stop.hidden = true;
		bar.append(stop);
		let speed;
		if (part.dataset.readAloud !== 'button') {
			const label = Object.assign(document.createElement('label'), { textContent: 'Tốc độ ' });
			speed = document.createElement('select');
			for (const [value, name] of RATES) speed.append(new Option(name, String(value), value === 1, value === 1));
			label.append(speed);
			bar.append(label);
		}
		reader = createReader(voice, { rate: 1, onState: setState });
		speed?.addEventListener('change', () => (reader.rate = Number(speed.value)));
		start.addEventListener('click', () => {
			const state = bar.dataset.state ?? 'stopped';
			if (state === 'reading') return reader.pause();
			if (state === 'paused') return reader.resume();
			if (current && current !== reader) current.stop();
			current = reader;
			reader.read([part]);
		});
		stop.addEventListener('click', () => reader.stop());
		// A bar opens what it reads; a single button (a quiz question) follows it, clear of its legend.
		if (part.dataset.readAloud === 'button') part.append(bar);
		else part.prepend(bar);
	}
}
