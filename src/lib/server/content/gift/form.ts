/**
 * Reads a submitted quiz form. Field names (see QuizQuestion.svelte): `q.<id>` for one answer,
 * `q.<id>` repeated for several answers, `q.<id>.<leftKey>` for each matching item.
 * Essays and descriptions submit nothing.
 */
import { leftKey } from './keys';
import type { GiftQuestion, PublicQuestion, QuizResponse } from './types';

/** Longest text kept from one field. */
const MAX_FIELD = 500;

export function fieldName(questionId: string, leftItemKey?: string): string {
	return leftItemKey === undefined ? `q.${questionId}` : `q.${questionId}.${leftItemKey}`;
}

export function readQuizResponses(
	formData: FormData,
	questions: PublicQuestion[] | GiftQuestion[]
): Record<string, QuizResponse> {
	const responses: Record<string, QuizResponse> = {};
	for (const q of questions) {
		const name = fieldName(q.id);
		switch (q.type) {
			case 'multichoice': {
				const multiple = 'multiple' in q ? q.multiple : !q.single;
				if (multiple) {
					const keys = [...new Set(strings(formData.getAll(name)))];
					if (keys.length) responses[q.id] = keys;
				} else {
					const key = text(formData.get(name));
					if (key) responses[q.id] = key;
				}
				break;
			}
			case 'truefalse': {
				const v = text(formData.get(name));
				if (v === 'true' || v === 'false') responses[q.id] = v;
				break;
			}
			case 'shortanswer':
			case 'numerical': {
				const v = text(formData.get(name));
				if (v && v.trim()) responses[q.id] = v;
				break;
			}
			case 'matching': {
				const count = 'items' in q ? q.items.length : q.pairs.length;
				const chosen: Record<string, string> = {};
				for (let i = 0; i < count; i++) {
					const k = 'items' in q ? q.items[i].key : leftKey(i);
					const v = text(formData.get(fieldName(q.id, k)));
					if (v) chosen[k] = v;
				}
				if (Object.keys(chosen).length) responses[q.id] = chosen;
				break;
			}
			case 'essay':
			case 'description':
				break;
		}
	}
	return responses;
}

function text(v: FormDataEntryValue | null): string | null {
	return typeof v === 'string' ? v.slice(0, MAX_FIELD) : null;
}

function strings(values: FormDataEntryValue[]): string[] {
	return values.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => v.slice(0, MAX_FIELD));
}
