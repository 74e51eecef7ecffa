import { choiceKeys } from '../content/gift/keys';
import type { GiftQuestion, QuizResponse } from '../content/gift/types';

// What the analytics keep of a wrong answer: the choice keys (shown to trainers as the choices' text), "true" or
// "false", or typed text folded (lower case, spaces collapsed, at most 80 characters) so that the same answer typed
// twice counts once. Matching questions keep nothing (there is no one "wrong answer" to name).

const MAX_TYPED = 80;

export function answerKey(q: GiftQuestion, response: QuizResponse | undefined): string | null {
	if (response === undefined) return null;
	switch (q.type) {
		case 'multichoice':
			return Array.isArray(response) ? response.join('+') : typeof response === 'string' ? response : null;
		case 'truefalse':
			return typeof response === 'string' ? response : null;
		case 'shortanswer':
		case 'numerical': {
			if (typeof response !== 'string') return null;
			const t = response.toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim().slice(0, MAX_TYPED);
			return t ? `=${t}` : null;
		}
		default:
			return null;
	}
}

/** Whether the stored answer is text a learner typed (shown only when several learners typed it). */
export function isTypedAnswer(key: string): boolean {
	return key.startsWith('=');
}

/** The answer as a trainer reads it: the text of the choices, "Đúng"/"Sai", or what was typed. */
export function answerText(q: GiftQuestion, key: string): string {
	if (isTypedAnswer(key)) return key.slice(1);
	if (q.type === 'truefalse') return key === 'true' ? 'Đúng' : key === 'false' ? 'Sai' : key;
	if (q.type === 'multichoice') {
		const keys = choiceKeys(q);
		return key
			.split('+')
			.map((k) => {
				const i = keys.indexOf(k);
				return i >= 0 ? plain(q.choices[i].text.text) : '?';
			})
			.join(' + ');
	}
	return key;
}

/** Trainer text without Markdown/HTML marks, on one line, for tables and CSV. */
export function plain(text: string): string {
	return text
		.replace(/<[^>]*>/g, '')
		.replace(/[*_`]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}
