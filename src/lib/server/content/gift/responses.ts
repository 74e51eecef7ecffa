/**
 * What of a learner's answers may be stored: for choices only keys the question really offers (each once), for
 * true/false only "true" or "false", typed text cut to a bounded length, for matching only the question's items
 * and options. Anything else a crafted form sends is dropped, so a stored attempt stays a few hundred bytes
 * whatever is posted.
 */
import { choiceKeys, leftKey, matchOptions } from './keys';
import type { GiftQuestion, QuizResponse } from './types';

/** Longest typed answer kept (a short answer or a number: nobody types more than this into one box). */
export const MAX_TEXT_ANSWER = 500;

export function keepValidResponses(questions: GiftQuestion[], responses: Record<string, QuizResponse | undefined>): Record<string, QuizResponse> {
	const out: Record<string, QuizResponse> = {};
	for (const q of questions) {
		if (!Object.hasOwn(responses, q.id)) continue;
		const kept = keepValidResponse(q, responses[q.id]);
		if (kept !== undefined) out[q.id] = kept;
	}
	return out;
}

function keepValidResponse(q: GiftQuestion, r: QuizResponse | undefined): QuizResponse | undefined {
	switch (q.type) {
		case 'multichoice': {
			const keys = choiceKeys(q);
			if (q.single) {
				const key = single(r);
				return key !== undefined && keys.includes(key) ? key : undefined;
			}
			const list = typeof r === 'string' ? [r] : Array.isArray(r) ? r : [];
			// In the question's own order: the stored list never depends on what order a form sent them in.
			const chosen = keys.filter((k) => list.includes(k));
			return chosen.length ? chosen : undefined;
		}
		case 'truefalse': {
			const v = single(r);
			return v === 'true' || v === 'false' ? v : undefined;
		}
		case 'shortanswer':
		case 'numerical': {
			const v = single(r);
			return v !== undefined && v.trim() ? v.slice(0, MAX_TEXT_ANSWER) : undefined;
		}
		case 'matching': {
			if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
			const options = new Set(matchOptions(q).map((o) => o.key));
			const chosen: Record<string, string> = {};
			q.pairs.forEach((_, i) => {
				const k = leftKey(i);
				const v = Object.hasOwn(r, k) ? r[k] : undefined;
				if (typeof v === 'string' && options.has(v)) chosen[k] = v;
			});
			return Object.keys(chosen).length ? chosen : undefined;
		}
		case 'essay':
		case 'description':
			return undefined;
	}
}

function single(r: QuizResponse | undefined): string | undefined {
	if (typeof r === 'string') return r;
	if (Array.isArray(r) && r.length === 1 && typeof r[0] === 'string') return r[0];
	return undefined;
}
