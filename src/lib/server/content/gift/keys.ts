/**
 * Ids and opaque option keys shared by the parser, the public view, the form reader and the grader.
 *
 * Option keys and the display order are derived from the question id and the option's own text, never from
 * its position in the source: trainers often write the correct answer first, and anything computed from the
 * position (even through a seeded shuffle) could be undone in the browser to find it.
 */
import type { GiftText, MatchingQuestion, MultichoiceQuestion } from './types';
import { slugify } from '../slug';

/** A question name as an id: lowercase ASCII slug, "Đăng nhập VNeID" -> "dang-nhap-vneid". */
export const slugifyName = slugify;

/** 32-bit FNV-1a with a final avalanche, as 7 base-36 characters. Not a secret, only a stable spread. */
export function hashKey(s: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return (h >>> 0).toString(36).padStart(7, '0');
}

/**
 * Keys for a list of texts of one question: `k` + hash of (question id, role, text, occurrence of that text).
 * Keys are unique within the list.
 */
function keysFor(questionId: string, role: string, texts: string[]): string[] {
	const seen = new Map<string, number>();
	const used = new Set<string>();
	return texts.map((t) => {
		const n = (seen.get(t) ?? 0) + 1;
		seen.set(t, n);
		let key = 'k' + hashKey(`${questionId}\u0000${role}\u0000${t}\u0000${n}`);
		for (let i = 2; used.has(key); i++) key = 'k' + hashKey(`${questionId}\u0000${role}\u0000${t}\u0000${n}\u0000${i}`);
		used.add(key);
		return key;
	});
}

function textKey(t: GiftText): string {
	return `${t.format}:${t.text}`;
}

// Keys are worked out once per question: grading a submission asks for them for every question. A question is not
// changed once parsed (a new content version is parsed into new objects); the cache is checked against the
// question's id and number of items all the same.
const choiceKeysOf = new WeakMap<object, { id: string; count: number; keys: readonly string[] }>();
const matchOptionsOf = new WeakMap<object, { id: string; count: number; options: readonly { key: string; text: string }[] }>();

/** Opaque key of each choice, in source order. */
export function choiceKeys(q: Pick<MultichoiceQuestion, 'id' | 'choices'>): readonly string[] {
	const known = choiceKeysOf.get(q.choices);
	if (known && known.id === q.id && known.count === q.choices.length) return known.keys;
	const keys = Object.freeze(
		keysFor(
			q.id,
			'choice',
			q.choices.map((c) => textKey(c.text))
		)
	);
	choiceKeysOf.set(q.choices, { id: q.id, count: q.choices.length, keys });
	return keys;
}

/** Key of the left-hand item at a source position: 'a', 'b', ... (left items are shown in source order). */
export function leftKey(index: number): string {
	return index < 26 ? String.fromCharCode(97 + index) : `a${index}`;
}

/**
 * Right-hand options of a matching question: each distinct text once (as Moodle merges equal answers),
 * pairs first then distractors, with its opaque key.
 */
export function matchOptions(q: Pick<MatchingQuestion, 'id' | 'pairs' | 'distractors'>): readonly { readonly key: string; readonly text: string }[] {
	const count = q.pairs.length + q.distractors.length;
	const known = matchOptionsOf.get(q.pairs);
	if (known && known.id === q.id && known.count === count) return known.options;
	const texts = [...new Set([...q.pairs.map((p) => p.right), ...q.distractors])];
	const keys = keysFor(q.id, 'right', texts);
	const options = Object.freeze(texts.map((text, i) => Object.freeze({ key: keys[i], text })));
	matchOptionsOf.set(q.pairs, { id: q.id, count, options });
	return options;
}

/** Deterministic display order for a question's options: sorted by their opaque keys. */
export function displayOrder<T extends { key: string }>(items: readonly T[]): T[] {
	return [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
