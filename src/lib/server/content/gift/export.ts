/**
 * Writes questions back as GIFT that Moodle imports (Question bank > Import > GIFT format), and that
 * parseGift reads back into the same questions.
 */
import { escapeGift } from './escape';
import type { GiftFormat, GiftQuestion, GiftText, NumericalAnswer } from './types';
import { formatPercent } from './weights';

export function exportGift(questions: GiftQuestion[]): string {
	const out: string[] = [];
	let category: string | undefined;
	for (const q of questions) {
		if (q.category !== undefined && q.category !== category) {
			out.push(`$CATEGORY: ${q.category.replace(/\s+/g, ' ')}`);
			category = q.category;
		}
		out.push(writeQuestion(q));
	}
	return out.length ? out.join('\n\n') + '\n' : '';
}

function writeQuestion(q: GiftQuestion): string {
	const format = q.stem.format;
	let head = q.name !== undefined ? `::${escapeGift(q.name)}:: ` : '';
	head += writeText(q.stem, 'moodle');
	if (q.type === 'description') return head;

	const lines: string[] = [];
	switch (q.type) {
		case 'essay':
			break;
		case 'truefalse': {
			let inline = q.answer ? 'TRUE' : 'FALSE';
			if (q.feedbackWrong || q.feedbackRight) inline += '#' + (q.feedbackWrong ? writeText(q.feedbackWrong, format) : '');
			if (q.feedbackRight) inline += '#' + writeText(q.feedbackRight, format);
			lines.push(inline);
			break;
		}
		case 'multichoice':
			for (const c of q.choices) {
				let mark: string;
				if (q.single && c.fraction === 1) mark = '=';
				else if (c.fraction !== 0) mark = `~%${formatPercent(c.fraction)}%`;
				// A text starting with %n% would be read as a weight: spell out the zero weight.
				else mark = c.text.text.startsWith('%') ? '~%0%' : '~';
				lines.push('\t' + mark + writeText(c.text, format) + feedback(c.feedback, format));
			}
			break;
		case 'shortanswer':
			for (const a of q.answers) {
				const weight = a.fraction !== 1 || a.text.startsWith('%') ? `%${formatPercent(a.fraction)}%` : '';
				lines.push('\t=' + weight + escapeGift(a.text) + feedback(a.feedback, format));
			}
			break;
		case 'numerical':
			for (const a of q.answers) {
				const weight = a.fraction !== 1 ? `%${formatPercent(a.fraction)}%` : '';
				lines.push('\t=' + weight + writeNumber(a) + feedback(a.feedback, format));
			}
			if (q.otherFeedback) lines.push('\t~' + feedback(q.otherFeedback, format));
			break;
		case 'matching':
			for (const p of q.pairs) lines.push(`\t=${writeText(p.left, format)} -> ${escapeGift(p.right)}`);
			for (const d of q.distractors) lines.push(`\t= -> ${escapeGift(d)}`);
			break;
	}
	if (q.generalFeedback) lines.push('\t####' + writeText(q.generalFeedback, format));

	const open = q.type === 'numerical' ? '{#' : '{';
	let block: string;
	if (lines.length === 0) block = `${open}}`;
	else if (q.type === 'truefalse' || q.type === 'essay') block = `${open}${lines.map((l) => l.trim()).join('')}}`;
	else block = `${open}\n${lines.join('\n')}\n}`;
	const after = q.stemAfter ? ' ' + escapeGift(q.stemAfter.text) : '';
	return `${head} ${block}${after}`;
}

/** Text with a `[format]` prefix when it differs from the default (or the text itself looks like one). */
function writeText(t: GiftText, defaultFormat: GiftFormat): string {
	const prefix = t.format !== defaultFormat || /^\[[a-z]+\]/i.test(t.text) ? `[${t.format}]` : '';
	return prefix + escapeGift(t.text);
}

function feedback(t: GiftText | undefined, format: GiftFormat): string {
	return t ? '#' + writeText(t, format) : '';
}

function writeNumber(a: NumericalAnswer): string {
	if (a.kind === 'range') return `${a.min}..${a.max}`;
	return a.tolerance === 0 ? `${a.value}` : `${a.value}:${a.tolerance}`;
}
