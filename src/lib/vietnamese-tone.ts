// Vietnamese has two accepted conventions for where the tone mark sits in a few vowel pairs: the older one writes
// "hòa", "thủy", "khỏe" (tone on the first vowel), the newer one "hoà", "thuỷ", "khoẻ" (tone on the main vowel).
// Phone keyboards produce either, and some produce decomposed characters (a base letter followed by combining
// marks). Text compared for equality (a passphrase, a typed quiz answer) is first brought to one form here.
//
// Canonical form chosen: NFC, tone mark on the main vowel ("hoà", "thuỷ", "khoẻ", "quý", "già"), which is also
// where both conventions put it once the syllable has a final consonant ("hoàng", "quỳnh").

/** Combining tone marks: grave (huyền), acute (sắc), tilde (ngã), hook above (hỏi), dot below (nặng). */
const TONES = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
/** Vowel runs starting with one of these pairs take the tone on their second letter when the letters are plain. */
const SECOND_VOWEL_RUNS = new Set(['oa', 'oe', 'uy', 'oai', 'oay', 'oeo', 'uyu']);

interface Letter {
	base: string;
	/** Non-tone marks (circumflex, breve, horn), in order. */
	marks: string;
	tone: string;
}

function splitLetters(word: string): Letter[] {
	const letters: Letter[] = [];
	for (const ch of word.normalize('NFD')) {
		const last = letters[letters.length - 1];
		if (/\p{M}/u.test(ch) && last) {
			if (TONES.has(ch)) last.tone += ch;
			else last.marks += ch;
		} else {
			letters.push({ base: ch, marks: '', tone: '' });
		}
	}
	return letters;
}

const isVowel = (l: Letter) => VOWELS.has(l.base.toLowerCase());
const isPlain = (l: Letter) => l.marks === '';

/** The word with its single tone mark moved to the canonical vowel, or unchanged when nothing applies. */
function placeTone(word: string): string {
	const letters = splitLetters(word);
	const toned = letters.filter((l) => l.tone);
	if (toned.length !== 1 || toned[0].tone.length !== 1) return word;
	const from = letters.indexOf(toned[0]);

	// The vowel run holding the tone.
	let start = from;
	while (start > 0 && isVowel(letters[start - 1])) start--;
	let end = from;
	while (end + 1 < letters.length && isVowel(letters[end + 1])) end++;
	if (!isVowel(letters[from])) return word;

	let to = from;
	const prev = start > 0 ? letters[start - 1].base.toLowerCase() : '';
	const first = letters[start].base.toLowerCase();
	// "qu" and "gi" are consonants: their u / i never carry the tone when a vowel follows ("quý", "già").
	const onsetGlide = end > start && isPlain(letters[start]) && ((prev === 'q' && first === 'u') || (prev === 'g' && first === 'i'));
	if (onsetGlide && from === start) {
		if (end === start + 1) to = start + 1;
	} else if (!onsetGlide && from === start) {
		const run = letters.slice(start, end + 1);
		const key = run.map((l) => l.base.toLowerCase()).join('');
		if (SECOND_VOWEL_RUNS.has(key) && run.every(isPlain)) to = start + 1;
	}
	if (to === from) return word.normalize('NFC');
	letters[to].tone = letters[from].tone;
	letters[from].tone = '';
	return letters
		.map((l) => l.base + l.marks + l.tone)
		.join('')
		.normalize('NFC');
}

/**
 * Text in NFC with every Vietnamese tone mark in the canonical place, so that "hòa" and "hoà", "thủy" and "thuỷ",
 * "khỏe" and "khoẻ", or "hoà" typed with combining marks, all give the same string. Case and everything else are
 * kept: this is for comparing text exactly, not for folding it.
 */
export function normalizeVietnameseTone(text: string): string {
	return text.normalize('NFC').replace(/[\p{L}\p{M}]+/gu, placeTone);
}

/**
 * The same text with the older convention ("hòa", "thủy", "khỏe"): tone on the first vowel of a final oa, oe, uy.
 * Used only to recognise passphrases saved before normalisation existed.
 */
export function toOlderTonePlacement(text: string): string {
	return normalizeVietnameseTone(text).replace(/[\p{L}\p{M}]+/gu, (word) => {
		const letters = splitLetters(word);
		const n = letters.length;
		if (n < 2) return word;
		const [a, b] = [letters[n - 2], letters[n - 1]];
		const pair = (a.base + b.base).toLowerCase();
		const beforePair = n > 2 ? letters[n - 3].base.toLowerCase() : '';
		if (!['oa', 'oe', 'uy'].includes(pair) || !isPlain(a) || !isPlain(b) || a.tone || !b.tone) return word;
		if (n > 2 && isVowel(letters[n - 3])) return word;
		if (pair === 'uy' && beforePair === 'q') return word;
		a.tone = b.tone;
		b.tone = '';
		return letters
			.map((l) => l.base + l.marks + l.tone)
			.join('')
			.normalize('NFC');
	});
}
