/**
 * Grades learners' answers the way Moodle grades the imported questions (deferred feedback, one attempt).
 */
import { normalizeVietnameseTone } from '../../../vietnamese-tone';
import { choiceKeys, leftKey, matchOptions } from './keys';
import type {
	GiftQuestion,
	GiftText,
	GradeResult,
	MatchingQuestion,
	MultichoiceQuestion,
	NumericalQuestion,
	QuizGrade,
	QuizResponse,
	ShortAnswerQuestion,
	TrueFalseQuestion
} from './types';

/** Longest text answer looked at; longer input is cut (a form field has no business being longer). */
const MAX_TEXT = 2000;

/** Whether the question counts in the quiz score: essays are graded by a trainer, descriptions take no answer. */
export function isGradable(q: GiftQuestion): boolean {
	return q.type !== 'essay' && q.type !== 'description';
}

export function gradeQuestion(q: GiftQuestion, response: QuizResponse | null | undefined): GradeResult {
	const general = q.generalFeedback ? { generalFeedback: q.generalFeedback } : {};
	switch (q.type) {
		case 'description':
			return { fraction: 0, state: 'unanswered', feedback: [] };
		case 'essay':
			return { fraction: 0, state: 'manual', feedback: [], ...general };
		case 'multichoice':
			return { ...(q.single ? gradeSingle(q, response) : gradeMultiple(q, response)), ...general };
		case 'truefalse':
			return { ...gradeTrueFalse(q, response), ...general };
		case 'shortanswer':
			return { ...gradeShortAnswer(q, response), ...general };
		case 'numerical':
			return { ...gradeNumerical(q, response), ...general };
		case 'matching':
			return { ...gradeMatching(q, response), ...general };
	}
}

/** Grades a whole quiz; `responses` is keyed by question id (see readQuizResponses). */
export function gradeQuiz(
	questions: GiftQuestion[],
	responses: Record<string, QuizResponse | undefined>
): QuizGrade {
	const results: Record<string, GradeResult> = {};
	let sum = 0;
	let gradable = 0;
	for (const q of questions) {
		if (q.type === 'description') continue;
		const r = gradeQuestion(q, Object.hasOwn(responses, q.id) ? responses[q.id] : undefined);
		results[q.id] = r;
		if (isGradable(q)) {
			sum += r.fraction;
			gradable++;
		}
	}
	const score = gradable === 0 ? 100 : Math.round((sum / gradable) * 10000) / 100;
	return { score, gradable, results };
}

type Graded = Omit<GradeResult, 'generalFeedback'>;

const UNANSWERED: Graded = { fraction: 0, state: 'unanswered', feedback: [] };

/** Clamps to 0..1 and names the state with Moodle's thresholds. */
function graded(fraction: number, feedback: (GiftText | undefined)[]): Graded {
	const f = Math.min(1, Math.max(0, fraction));
	const fb = feedback.filter((t): t is GiftText => t !== undefined);
	if (f > 0.999999) return { fraction: 1, state: 'correct', feedback: fb };
	if (f < 0.000001) return { fraction: 0, state: 'incorrect', feedback: fb };
	return { fraction: Math.round(f * 1e7) / 1e7, state: 'partial', feedback: fb };
}

function asText(response: QuizResponse | null | undefined): string | null {
	if (typeof response === 'string') return response.slice(0, MAX_TEXT);
	if (Array.isArray(response) && response.length === 1 && typeof response[0] === 'string') {
		return response[0].slice(0, MAX_TEXT);
	}
	return null;
}

function gradeSingle(q: MultichoiceQuestion, response: QuizResponse | null | undefined): Graded {
	const key = asText(response);
	const i = key === null ? -1 : choiceKeys(q).indexOf(key);
	if (i < 0) return UNANSWERED;
	const choice = q.choices[i];
	// Moodle lets a single-answer choice carry a negative mark; here a question never scores below 0.
	return graded(choice.fraction, [choice.feedback]);
}

function gradeMultiple(q: MultichoiceQuestion, response: QuizResponse | null | undefined): Graded {
	const list = typeof response === 'string' ? [response] : Array.isArray(response) ? response : [];
	const chosen = new Set(list.filter((k) => typeof k === 'string'));
	const keys = choiceKeys(q);
	const picked = q.choices.filter((_, i) => chosen.has(keys[i]));
	if (picked.length === 0) return UNANSWERED;
	const sum = picked.reduce((t, c) => t + c.fraction, 0);
	return graded(
		sum,
		picked.map((c) => c.feedback)
	);
}

function gradeTrueFalse(q: TrueFalseQuestion, response: QuizResponse | null | undefined): Graded {
	const r = asText(response);
	if (r !== 'true' && r !== 'false') return UNANSWERED;
	const right = (r === 'true') === q.answer;
	return right ? graded(1, [q.feedbackRight]) : graded(0, [q.feedbackWrong]);
}

/** Same text for comparison: Unicode NFC (Vietnamese keyboards may send decomposed accents), single spaces. */
function normalize(s: string): string {
	return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * Moodle's wildcard comparison: `*` matches anything, `\*` is an asterisk, case ignored.
 * Runs in time linear in both lengths whatever the input (a learner's answer must not be able to stall the
 * server): the pattern is cut at its stars into literal pieces; the first piece must start the answer, the last
 * must end it, and each piece between is found, in order, at its leftmost place after the previous one (leftmost
 * is always right when `*` is the only wildcard), with Knuth-Morris-Pratt so that no character is read twice.
 */
export function matchesWildcard(response: string, pattern: string): boolean {
	return matchesPieces(foldedCodePoints(normalize(response)), wildcardPieces(normalize(pattern)));
}

/** matchesWildcard with both sides prepared: the response normalised and folded, the pattern cut into pieces. */
function matchesPieces(text: number[], pieces: number[][]): boolean {
	if (pieces.length === 1) return sameSlice(text, 0, pieces[0]) && text.length === pieces[0].length;
	const first = pieces[0];
	const last = pieces[pieces.length - 1];
	if (first.length + last.length > text.length) return false;
	if (!sameSlice(text, 0, first) || !sameSlice(text, text.length - last.length, last)) return false;
	let from = first.length;
	const end = text.length - last.length;
	for (let i = 1; i < pieces.length - 1; i++) {
		const at = indexOfPiece(text, pieces[i], from, end);
		if (at < 0) return false;
		from = at + pieces[i].length;
	}
	return true;
}

/** The literal pieces between the stars of a pattern (runs of stars count as one), case-folded. */
function wildcardPieces(pattern: string): number[][] {
	const pieces: number[][] = [[]];
	const chars = Array.from(pattern);
	for (let i = 0; i < chars.length; i++) {
		if (chars[i] === '\\' && chars[i + 1] === '*') {
			pieces[pieces.length - 1].push(foldCodePoint('*'));
			i++;
		} else if (chars[i] === '*') {
			pieces.push([]);
		} else {
			pieces[pieces.length - 1].push(foldCodePoint(chars[i]));
		}
	}
	return pieces;
}

/**
 * A character compared without case: its lower case when that is one character, the way a case-insensitive
 * Unicode regular expression compares (a lower case of several characters, such as that of "İ", is not used).
 */
function foldCodePoint(char: string): number {
	const cp = char.codePointAt(0)!;
	if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
	const lower = char.toLowerCase();
	const lowerCp = lower.codePointAt(0)!;
	return lower.length === (lowerCp > 0xffff ? 2 : 1) ? lowerCp : cp;
}

function foldedCodePoints(s: string): number[] {
	const out: number[] = [];
	for (const char of s) out.push(foldCodePoint(char));
	return out;
}

/** Whether `piece` sits in `text` at `at`. */
function sameSlice(text: number[], at: number, piece: number[]): boolean {
	if (at < 0 || at + piece.length > text.length) return false;
	for (let j = 0; j < piece.length; j++) if (text[at + j] !== piece[j]) return false;
	return true;
}

/** Leftmost place of `piece` inside text[from, end), or -1 (Knuth-Morris-Pratt: linear, no backtracking). */
function indexOfPiece(text: number[], piece: number[], from: number, end: number): number {
	if (piece.length === 0) return from;
	// border[j]: length of the longest proper prefix of piece[0..j] that is also its suffix.
	const border = new Array<number>(piece.length).fill(0);
	for (let j = 1, k = 0; j < piece.length; j++) {
		while (k > 0 && piece[j] !== piece[k]) k = border[k - 1];
		if (piece[j] === piece[k]) k++;
		border[j] = k;
	}
	for (let i = from, k = 0; i < end; i++) {
		while (k > 0 && text[i] !== piece[k]) k = border[k - 1];
		if (text[i] === piece[k]) k++;
		if (k === piece.length) return i - piece.length + 1;
	}
	return -1;
}

/** Each accepted answer's pattern, prepared once per answer (a question is not changed once parsed). */
const answerPieces = new WeakMap<object, { text: string; pieces: number[][] }>();

function piecesOfAnswer(a: ShortAnswerQuestion['answers'][number]): number[][] {
	const known = answerPieces.get(a);
	if (known && known.text === a.text) return known.pieces;
	const pieces = wildcardPieces(normalize(normalizeVietnameseTone(a.text)));
	answerPieces.set(a, { text: a.text, pieces });
	return pieces;
}

function gradeShortAnswer(q: ShortAnswerQuestion, response: QuizResponse | null | undefined): Graded {
	const r = asText(response);
	if (r === null || normalize(r) === '') return UNANSWERED;
	// "hoà" and "hòa", "thuỷ" and "thủy" are the same word: both sides get one tone placement first.
	const typed = foldedCodePoints(normalize(normalizeVietnameseTone(r)));
	const answer = q.answers.find((a) => matchesPieces(typed, piecesOfAnswer(a)));
	return answer ? graded(answer.fraction, [answer.feedback]) : graded(0, []);
}

/**
 * The values a number typed by a learner can stand for. Vietnamese writes `.` between thousands and `,` before
 * decimals ("5.000.000 đồng", "1,5 kg"); phones and English habits write the other way round ("1,000", "3.14").
 * "5.000.000" and "1.234,5" have one reading; "1.000" has two (one thousand, or one written with three decimals),
 * and so has "1,000"; each is a correct way of writing one of them, so a response is graded by its best reading.
 * Optional sign (also U+2212) and exponent, spaces ignored. Empty when it is not a number.
 */
export function readLearnerNumber(input: string): number[] {
	const s = input.normalize('NFKC').replace(/\s+/g, '').replace(/^\u2212/, '-');
	const sign = /^[+-]/.test(s) ? s[0] : '';
	const body = s.slice(sign.length);
	const out: number[] = [];
	const add = (text: string) => {
		const n = Number(sign + text);
		if (Number.isFinite(n) && !out.includes(n)) out.push(n);
	};
	if (/^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(body)) add(body.replace(/\./g, '').replace(',', '.'));
	if (/^(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/.test(body)) add(body.replace(',', '.'));
	if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(body)) add(body.replace(/,/g, ''));
	return out;
}

/** The first reading of a number typed by a learner (see readLearnerNumber), or null. */
export function parseLearnerNumber(input: string): number | null {
	return readLearnerNumber(input)[0] ?? null;
}

function gradeNumerical(q: NumericalQuestion, response: QuizResponse | null | undefined): Graded {
	const r = asText(response);
	if (r === null || r.trim() === '') return UNANSWERED;
	const readings = readLearnerNumber(r);
	if (readings.length === 0) return graded(0, []);
	let best: NumericalQuestion['answers'][number] | undefined;
	for (const x of readings) {
		const answer = q.answers.find((a) => {
			if (a.kind === 'range') return x >= a.min - slack(a.min) && x <= a.max + slack(a.max);
			return Math.abs(x - a.value) <= a.tolerance + slack(a.value);
		});
		if (answer && (!best || answer.fraction > best.fraction)) best = answer;
	}
	return best ? graded(best.fraction, [best.feedback]) : graded(0, [q.otherFeedback]);
}

/** Room for floating-point error in the bounds (3.15 is within 3.14 ± 0.01). */
function slack(bound: number): number {
	return 1e-9 * Math.max(1, Math.abs(bound));
}

/** A matching question's right-hand texts to their keys, once per question. */
const rightKeys = new WeakMap<object, { options: readonly { key: string; text: string }[]; keyOf: Map<string, string> }>();

function rightKeysOf(q: MatchingQuestion): Map<string, string> {
	const options = matchOptions(q);
	const known = rightKeys.get(q);
	if (known && known.options === options) return known.keyOf;
	const keyOf = new Map(options.map((o) => [o.text, o.key]));
	rightKeys.set(q, { options, keyOf });
	return keyOf;
}

function gradeMatching(q: MatchingQuestion, response: QuizResponse | null | undefined): Graded {
	if (!response || typeof response !== 'object' || Array.isArray(response)) return UNANSWERED;
	const keyOf = rightKeysOf(q);
	let answered = 0;
	let right = 0;
	q.pairs.forEach((pair, i) => {
		const k = leftKey(i);
		const chosen = Object.hasOwn(response, k) ? response[k] : undefined;
		if (typeof chosen !== 'string' || chosen === '') return;
		answered++;
		if (chosen === keyOf.get(pair.right)) right++;
	});
	if (answered === 0) return UNANSWERED;
	return graded(right / q.pairs.length, []);
}
