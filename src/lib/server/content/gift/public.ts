/**
 * The part of a question the browser may see. Built field by field (never by copying the question), so
 * credit, correct answers and feedback cannot leak into the page.
 */
import { choiceKeys, displayOrder, leftKey, matchOptions } from './keys';
import type { GiftQuestion, GiftText, PublicQuestion } from './types';

/** `renderText` turns trainer text into safe HTML (Markdown, HTML, plain or Moodle format). */
export function toPublicQuestion(q: GiftQuestion, renderText: (t: GiftText) => string): PublicQuestion {
	const base = {
		id: q.id,
		stemHtml: renderText(q.stem),
		...(q.stemAfter ? { stemAfterHtml: renderText(q.stemAfter) } : {})
	};
	switch (q.type) {
		case 'multichoice': {
			const keys = choiceKeys(q);
			const choices = q.choices.map((c, i) => ({ key: keys[i], html: renderText(c.text) }));
			return { ...base, type: 'multichoice', multiple: !q.single, choices: displayOrder(choices) };
		}
		case 'matching':
			return {
				...base,
				type: 'matching',
				items: q.pairs.map((p, i) => ({ key: leftKey(i), html: renderText(p.left) })),
				options: displayOrder(matchOptions(q)).map((o) => ({ key: o.key, text: o.text }))
			};
		case 'truefalse':
		case 'shortanswer':
		case 'numerical':
		case 'essay':
		case 'description':
			return { ...base, type: q.type };
	}
}
