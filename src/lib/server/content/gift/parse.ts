/**
 * GIFT parser. Reads what Moodle's GIFT importer reads (question/format/gift in Moodle) and rejects, with a
 * Vietnamese message and the file line, what Moodle would import wrongly or refuse later: unknown weights,
 * questions without a correct answer, non-numeric or infinite numbers, stray braces. A name used twice in a lesson
 * is a warning: the later question gets a numbered id.
 */
import { placeholderFor, restoreEscapes } from './escape';
import { slugifyName } from './keys';
import { fractionForPercent, formatPercent, MOODLE_PERCENTS } from './weights';
import type {
	GiftChoice,
	GiftFormat,
	GiftParseResult,
	GiftProblem,
	GiftQuestion,
	GiftText,
	MatchPair,
	NumericalAnswer,
	ShortAnswer
} from './types';

export interface ParseGiftOptions {
	/** Lines of the file above the block's first line, so that reported lines are file lines. */
	lineOffset?: number;
	/** Prefix of derived ids, `${idPrefix}-q${n}`, for questions without a name. */
	idPrefix: string;
	/** Names and ids (with their lines) already used in the lesson, shared by its blocks; filled as questions are read. */
	seen?: { names: Map<string, number>; ids: Map<string, number> };
}

interface SourceLine {
	text: string;
	line: number;
}

/** Question fields that only depend on its own text. */
type ParsedQuestion = DistributiveOmit<GiftQuestion, 'id' | 'idDerived' | 'category' | 'name' | 'line'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const FORMATS: readonly GiftFormat[] = ['moodle', 'markdown', 'html', 'plain'];
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WEIGHT = /^%(-?\d+(?:\.\d+)?)%/;
/** Looks like a weight (digits, sign, separators between % signs) but is not a valid one. */
const WEIGHT_LIKE = /^%[-+\d.,\s]*%/;

export function parseGift(source: string, opts: ParseGiftOptions): GiftParseResult {
	const offset = opts.lineOffset ?? 0;
	const problems: GiftProblem[] = [];
	const questions: GiftQuestion[] = [];
	const seen = opts.seen ?? { names: new Map<string, number>(), ids: new Map<string, number>() };
	let category: string | undefined;
	let position = 0;

	for (const block of splitBlocks(source, offset)) {
		const lines = block.filter((l) => !l.text.startsWith('//'));
		if (lines.length === 0) continue;

		if (/^\$category:/i.test(lines[0].text)) {
			const c = readCategory(lines, problems);
			if (c !== null) category = c;
			continue;
		}

		position++;
		const line = lines[0].line;
		const parser = new QuestionParser(lines);
		const parsed = parser.parse();
		problems.push(...parser.problems);
		if (!parsed) continue;
		const { question, name } = parsed;

		let id: string;
		let idDerived = false;
		let duplicateOf: number | undefined;
		if (name !== undefined) {
			duplicateOf = seen.names.get(name);
			if (duplicateOf === undefined) seen.names.set(name, line);
		}
		const slug = name === undefined ? '' : slugifyName(name);
		if (slug) {
			id = slug;
		} else {
			id = `${opts.idPrefix}-q${position}`;
			idDerived = true;
			if (name !== undefined) {
				problems.push(
					warning(line, `Tên "${name}" không có chữ hoặc số nên không dùng làm mã được: đặt tên như ::${id}::.`)
				);
			} else if (question.type !== 'description') {
				problems.push(
					warning(line, `Câu hỏi chưa có tên: thêm ::${id}:: vào đầu câu để mã câu hỏi không đổi khi sửa bài.`)
				);
			}
		}
		const previousId = seen.ids.get(id);
		if (previousId !== undefined) {
			// Moodle banks often repeat a name: the question gets the next free suffix, stable while the order stays.
			let n = 2;
			while (seen.ids.has(`${id}-${n}`)) n++;
			const suffixed = `${id}-${n}`;
			const what = duplicateOf !== undefined ? `Tên câu hỏi "${name}" trùng với câu ở dòng ${duplicateOf}` : `Mã câu hỏi "${id}" trùng với câu ở dòng ${previousId}`;
			problems.push(
				warning(line, `${what}: câu này lấy mã "${suffixed}". Nên đặt tên riêng (::${suffixed}::) để mã không đổi khi thêm hay bớt câu.`)
			);
			id = suffixed;
		}
		seen.ids.set(id, line);

		const full = {
			...(name !== undefined ? { name } : {}),
			id,
			idDerived,
			...(category !== undefined ? { category } : {}),
			line,
			...question
		} as GiftQuestion;
		questions.push(full);
	}

	problems.sort((a, b) => a.line - b.line);
	return { questions, problems };
}

/** Lines grouped into blocks separated by blank lines; each line trimmed (as Moodle does). */
function splitBlocks(source: string, offset: number): SourceLine[][] {
	const blocks: SourceLine[][] = [];
	let current: SourceLine[] = [];
	const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	lines.forEach((raw, i) => {
		// Private-use characters are reserved for escapes while parsing.
		const text = raw.replace(/[\uE000-\uE007]/g, '\uFFFD').trim();
		if (text === '') {
			if (current.length) blocks.push(current);
			current = [];
		} else {
			current.push({ text, line: offset + i + 1 });
		}
	});
	if (current.length) blocks.push(current);
	return blocks;
}

function readCategory(lines: SourceLine[], problems: GiftProblem[]): string | null {
	const first = lines[0];
	if (!first.text.startsWith('$CATEGORY:')) {
		problems.push(error(first.line, 'Viết $CATEGORY: bằng chữ in hoa, ví dụ $CATEGORY: ky-nang-so/an-toan.'));
		return null;
	}
	if (lines.length > 1) {
		problems.push(error(lines[1].line, 'Thêm một dòng trống giữa dòng $CATEGORY: và câu hỏi bên dưới.'));
	}
	const path = unescapeLine(first.text.slice('$CATEGORY:'.length)).trim();
	if (!path) {
		problems.push(error(first.line, 'Thiếu tên nhóm câu hỏi sau $CATEGORY:, ví dụ $CATEGORY: ky-nang-so/an-toan.'));
		return null;
	}
	return path;
}

function unescapeLine(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const p = text[i] === '\\' && i + 1 < text.length ? placeholderFor(text[i + 1]) : undefined;
		if (p) {
			out += p;
			i++;
		} else out += text[i];
	}
	return restoreEscapes(out);
}

function error(line: number, message: string): GiftProblem {
	return { line, severity: 'error', message };
}

function warning(line: number, message: string): GiftProblem {
	return { line, severity: 'warning', message };
}

/** A piece of the question's text: [start, end) offsets into `QuestionParser.s`. */
interface Span {
	start: number;
	end: number;
}

/** An answer of the answer block: the marker that opened it (`=`, `~`, or '' before the first marker). */
interface Item extends Span {
	marker: string;
	/** Offset of the marker (or of the text when there is none), for line numbers. */
	at: number;
}

/**
 * Parses one question block. The block's lines are joined with line breaks, each escape replaced by one
 * placeholder character, and `lineOf[i]` keeps the file line of character i.
 */
class QuestionParser {
	readonly problems: GiftProblem[] = [];
	private readonly s: string;
	private readonly lineOf: number[] = [];
	private failed = false;

	constructor(lines: SourceLine[]) {
		let s = '';
		lines.forEach((l, n) => {
			if (n > 0) {
				s += '\n';
				this.lineOf.push(lines[n - 1].line);
			}
			for (let i = 0; i < l.text.length; i++) {
				const p = l.text[i] === '\\' && i + 1 < l.text.length ? placeholderFor(l.text[i + 1]) : undefined;
				if (p) {
					s += p;
					i++;
				} else s += l.text[i];
				this.lineOf.push(l.line);
			}
		});
		this.s = s;
	}

	parse(): { question: ParsedQuestion; name?: string } | null {
		const s = this.s;
		const whole = this.trim({ start: 0, end: s.length });
		const end = whole.end;
		let start = whole.start;

		let name: string | undefined;
		if (s.startsWith('::', start)) {
			const close = s.indexOf('::', start + 2);
			if (close < 0) {
				this.error(start, 'Tên câu hỏi mở bằng :: nhưng thiếu :: đóng. Viết ::ten-cau-hoi:: ở đầu câu.');
				return null;
			}
			name = restoreEscapes(s.slice(start + 2, close)).replace(/\s+/g, ' ').trim();
			if (!name) {
				this.error(start, 'Tên câu hỏi giữa :: và :: đang trống.');
				return null;
			}
			start = this.trim({ start: close + 2, end }).start;
		}

		const opens: number[] = [];
		const closes: number[] = [];
		for (let i = start; i < end; i++) {
			if (s[i] === '{') opens.push(i);
			else if (s[i] === '}') closes.push(i);
		}

		if (opens.length === 0 && closes.length === 0) {
			const stem = this.text({ start, end }, 'moodle');
			if (!stem.text) {
				this.error(start, 'Câu hỏi chưa có nội dung.');
				return null;
			}
			return { question: { type: 'description', stem }, name };
		}
		if (!this.checkBraces(opens, closes)) return null;

		const open = opens[0];
		const close = closes[0];
		const stem = this.text({ start, end: open }, 'moodle');
		const format = stem.format;
		const afterSpan = this.trim({ start: close + 1, end });
		const after = restoreEscapes(s.slice(afterSpan.start, afterSpan.end)).trim();
		if (!stem.text && !after) {
			this.error(open, 'Câu hỏi chưa có nội dung: viết câu hỏi trước dấu {.');
			return null;
		}
		const common = {
			stem,
			...(after ? { stemAfter: { text: after, format } } : {})
		};

		let answers = this.trim({ start: open + 1, end: close });
		const gf = s.lastIndexOf('####', answers.end - 1);
		let generalFeedback: GiftText | undefined;
		if (gf >= answers.start) {
			const t = this.text({ start: gf + 4, end: answers.end }, format);
			if (t.text) generalFeedback = t;
			answers = this.trim({ start: answers.start, end: gf });
		}
		const base = { ...common, ...(generalFeedback ? { generalFeedback } : {}) };

		const body = s.slice(answers.start, answers.end);
		let question: ParsedQuestion | null;
		if (body === '') question = { type: 'essay', ...base };
		else if (body[0] === '#') question = this.numerical(answers, open, base, format);
		else if (body.includes('~')) question = this.multichoice(answers, open, base, format);
		else if (body.includes('=') && body.includes('->')) question = this.matching(answers, open, base, format);
		else {
			const hash = body.indexOf('#');
			const tf = (hash > 0 ? body.slice(0, hash) : body).trim();
			if (['T', 'TRUE', 'F', 'FALSE'].includes(tf)) question = this.truefalse(answers, base, format);
			else question = this.shortanswer(answers, open, base, format);
		}
		if (this.failed || !question) return null;
		return { question, name };
	}

	private checkBraces(opens: number[], closes: number[]): boolean {
		if (opens.length === 0) {
			this.error(closes[0], 'Có dấu } nhưng thiếu dấu { mở khối đáp án. Muốn viết dấu } trong chữ thì gõ \\}.');
			return false;
		}
		if (closes.length === 0) {
			this.error(opens[0], 'Khối đáp án mở bằng { nhưng chưa đóng bằng }. Muốn viết dấu { trong chữ thì gõ \\{.');
			return false;
		}
		if (closes[0] < opens[0]) {
			this.error(closes[0], 'Dấu } đứng trước dấu {. Muốn viết dấu } trong chữ thì gõ \\}.');
			return false;
		}
		if (opens.length > 1 && opens[1] < closes[0]) {
			// Either a { inside the answer block, or a { in the question text before the block.
			if (this.looksLikeAnswers(opens[0] + 1, opens[1])) {
				this.error(opens[1], 'Dấu { nằm trong khối đáp án. Muốn viết dấu { trong chữ thì gõ \\{.');
			} else {
				this.error(opens[0], 'Dấu { trong nội dung câu hỏi được hiểu là chỗ mở khối đáp án. Muốn viết dấu { trong chữ thì gõ \\{ (và \\} cho dấu }).');
			}
			return false;
		}
		if (opens.length > 1) {
			const newLine = this.s.slice(closes[0], opens[1]).includes('\n');
			if (newLine && this.looksLikeAnswers(opens[0] + 1, closes[0])) {
				this.error(
					opens[1],
					'Mỗi câu hỏi chỉ có một khối đáp án {…}. Nếu đây là câu hỏi mới, thêm một dòng trống phía trên nó.'
				);
			} else {
				const braces = restoreEscapes(this.s.slice(opens[0], closes[0] + 1)).replace(/\s+/g, ' ');
				const shown = braces.length > 40 ? `${braces.slice(0, 37)}...}` : braces;
				this.error(
					opens[0],
					`"${shown}" trong nội dung câu hỏi được hiểu là một khối đáp án, nên câu có hai khối đáp án. Muốn viết dấu { và } trong chữ thì gõ \\{ và \\}.`
				);
			}
			return false;
		}
		if (closes.length > 1) {
			this.error(closes[1], 'Dấu } thừa. Muốn viết dấu } trong chữ thì gõ \\}.');
			return false;
		}
		return true;
	}

	/** Whether s[start, end) reads as the start of an answer block: =, ~, #, or a true/false value. */
	private looksLikeAnswers(start: number, end: number): boolean {
		const t = this.s.slice(start, end).trim();
		return /^[=~#]/.test(t) || /^(T|F|TRUE|FALSE)(#|$)/.test(t) || t === '';
	}

	private multichoice(span: Span, open: number, base: object, format: GiftFormat): ParsedQuestion | null {
		const items = this.split(span, '~=');
		if (!this.noLeadingText(items, 'Mỗi lựa chọn phải bắt đầu bằng = (đáp án đúng) hoặc ~ (đáp án sai)')) return null;
		const single = items.some((it) => it.marker === '=');
		const choices: GiftChoice[] = [];
		const seen = new Set<string>();
		for (const it of items.slice(1)) {
			let fraction = it.marker === '=' ? 1 : 0;
			let start = this.trim(it).start;
			const weight = this.weight({ start, end: it.end }, true);
			if (weight === undefined) return null;
			if (weight) {
				if (it.marker === '=') {
					this.error(
						it.at,
						'Trong câu nhiều lựa chọn, dấu = luôn là đáp án đúng 100%. Muốn cho điểm một phần, viết ~%50%đáp án.'
					);
					return null;
				}
				fraction = weight.fraction;
				start = weight.end;
			}
			const [textSpan, feedbackSpan] = this.splitFeedback({ start, end: it.end });
			const text = this.text(textSpan, format);
			if (!text.text) {
				this.error(it.at, `Lựa chọn trống sau dấu ${it.marker}. Xóa dấu thừa hoặc viết nội dung lựa chọn.`);
				return null;
			}
			if (seen.has(text.text)) this.warning(it.at, `Lựa chọn "${text.text}" bị lặp lại.`);
			seen.add(text.text);
			const feedback = feedbackSpan ? this.text(feedbackSpan, format) : undefined;
			choices.push({ text, fraction, ...(feedback?.text ? { feedback } : {}) });
		}
		if (choices.length < 2) {
			this.error(open, 'Câu nhiều lựa chọn cần ít nhất 2 lựa chọn.');
			return null;
		}
		if (single) {
			if (choices.some((c) => c.fraction < 0)) {
				this.warning(
					open,
					'Câu chỉ chọn một đáp án (có dấu =) không trừ điểm: trọng số âm ở đây chỉ tính là 0 điểm. Muốn trừ điểm, dùng câu nhiều đáp án (chỉ dùng ~%n%).'
				);
			}
		} else {
			const positive = choices.filter((c) => c.fraction > 0);
			if (positive.length === 0) {
				this.error(
					open,
					'Câu nhiều lựa chọn chưa có đáp án đúng: đánh dấu đáp án đúng bằng =, hoặc cho các đáp án đúng trọng số dương như ~%50%.'
				);
				return null;
			}
			const sum = positive.reduce((t, c) => t + c.fraction, 0);
			if (Math.abs(sum - 1) > 0.000001) {
				this.error(
					open,
					`Các trọng số dương cộng lại được ${formatPercent(sum)}%, cần đúng 100% (ví dụ hai đáp án đúng, mỗi đáp án ~%50%).`
				);
				return null;
			}
		}
		return { type: 'multichoice', ...base, single, choices } as ParsedQuestion;
	}

	private truefalse(span: Span, base: object, format: GiftFormat): ParsedQuestion {
		const s = this.s;
		const first = s.indexOf('#', span.start);
		const h1 = first >= 0 && first < span.end ? first : span.end;
		const second = h1 < span.end ? s.indexOf('#', h1 + 1) : -1;
		const h2 = second >= 0 && second < span.end ? second : span.end;
		const value = s.slice(span.start, h1).trim();
		const wrong = h1 < span.end ? this.text({ start: h1 + 1, end: h2 }, format) : undefined;
		const right = h2 < span.end ? this.text({ start: h2 + 1, end: span.end }, format) : undefined;
		return {
			type: 'truefalse',
			...base,
			answer: value === 'T' || value === 'TRUE',
			...(wrong?.text ? { feedbackWrong: wrong } : {}),
			...(right?.text ? { feedbackRight: right } : {})
		} as ParsedQuestion;
	}

	private shortanswer(span: Span, open: number, base: object, format: GiftFormat): ParsedQuestion | null {
		const items = this.split(span, '=');
		const lead = restoreEscapes(this.s.slice(items[0].start, items[0].end)).trim();
		if (lead) {
			const tf = lead.split('#')[0].trim();
			if (/^(t|true|f|false|đúng|sai)$/i.test(tf)) {
				this.error(items[0].at, `Câu đúng/sai viết {T}, {TRUE}, {F} hoặc {FALSE} bằng chữ in hoa, không viết {${tf}}.`);
			} else {
				this.error(
					items[0].at,
					`Đáp án của câu trả lời ngắn phải bắt đầu bằng =, ví dụ {=${lead.split('#')[0].trim()}}. Câu nhiều lựa chọn thì đáp án sai bắt đầu bằng ~.`
				);
			}
			return null;
		}
		const answers: ShortAnswer[] = [];
		for (const it of items.slice(1)) {
			let start = this.trim(it).start;
			const weight = this.weight({ start, end: it.end }, false);
			if (weight === undefined) return null;
			const fraction = weight ? weight.fraction : 1;
			if (weight) start = weight.end;
			const [textSpan, feedbackSpan] = this.splitFeedback({ start, end: it.end });
			const text = this.text(textSpan, format).text;
			if (!text) {
				this.error(it.at, 'Đáp án trống sau dấu =. Xóa dấu = thừa hoặc viết đáp án.');
				return null;
			}
			const feedback = feedbackSpan ? this.text(feedbackSpan, format) : undefined;
			answers.push({ text, fraction, ...(feedback?.text ? { feedback } : {}) });
		}
		if (!answers.some((a) => a.fraction === 1)) {
			this.error(open, 'Câu trả lời ngắn cần ít nhất một đáp án được 100% (viết =đáp án, không ghi trọng số).');
			return null;
		}
		return { type: 'shortanswer', ...base, answers } as ParsedQuestion;
	}

	private matching(span: Span, open: number, base: object, format: GiftFormat): ParsedQuestion | null {
		const items = this.split(span, '=');
		if (!this.noLeadingText(items, 'Mỗi cặp ghép đôi phải bắt đầu bằng =, ví dụ =Zalo -> Nhắn tin')) return null;
		const pairs: MatchPair[] = [];
		const distractors: string[] = [];
		const lefts = new Set<string>();
		for (const it of items.slice(1)) {
			const raw = this.s.slice(it.start, it.end);
			const arrow = raw.indexOf('->');
			if (arrow < 0) {
				this.error(
					it.at,
					`Cặp ghép đôi "${restoreEscapes(raw).trim()}" thiếu dấu ->. Viết =mục bên trái -> mục bên phải.`
				);
				return null;
			}
			if (raw.includes('#')) {
				this.error(
					it.at,
					'Câu ghép đôi không có nhận xét riêng cho từng cặp. Dùng ####nhận xét chung ở cuối khối, hoặc gõ \\# nếu muốn viết dấu #.'
				);
				return null;
			}
			const left = this.text({ start: it.start, end: it.start + arrow }, format);
			const right = restoreEscapes(raw.slice(arrow + 2)).trim();
			if (!right) {
				this.error(it.at, 'Thiếu mục bên phải sau dấu ->.');
				return null;
			}
			if (WEIGHT.test(left.text)) {
				this.error(it.at, 'Câu ghép đôi không dùng trọng số %n%: mỗi cặp đúng được điểm như nhau.');
				return null;
			}
			if (!left.text) {
				distractors.push(right);
				continue;
			}
			if (lefts.has(left.text)) this.warning(it.at, `Mục bên trái "${left.text}" bị lặp lại.`);
			lefts.add(left.text);
			pairs.push({ left, right });
		}
		if (pairs.length < 2 || pairs.length + distractors.length < 3) {
			this.error(
				open,
				'Câu ghép đôi cần ít nhất 2 cặp và tổng cộng 3 mục bên phải. Thêm cặp, hoặc thêm mục gây nhiễu dạng = -> mục thừa.'
			);
			return null;
		}
		return { type: 'matching', ...base, pairs, distractors } as ParsedQuestion;
	}

	private numerical(span: Span, open: number, base: object, format: GiftFormat): ParsedQuestion | null {
		const s = this.s;
		let main: Span = { start: span.start + 1, end: span.end };
		let otherFeedback: GiftText | undefined;
		const tilde = s.indexOf('~', main.start);
		if (tilde >= 0 && tilde < main.end) {
			const rest = this.trim({ start: tilde + 1, end: main.end });
			if (s[rest.start] !== '#' || rest.start >= rest.end) {
				this.error(tilde, 'Sau dấu ~ trong câu hỏi số, viết #nhận xét cho mọi số khác, ví dụ ~#Chưa đúng.');
				return null;
			}
			const t = this.text({ start: rest.start + 1, end: rest.end }, format);
			if (t.text) otherFeedback = t;
			main = { start: main.start, end: tilde };
		}
		const items = this.split(main, '=').filter((it, i) => i > 0 || this.trim(it).start < this.trim(it).end);
		if (items.length === 0) {
			this.error(open, 'Câu hỏi số chưa có đáp án. Viết ví dụ {#3.14:0.01} hoặc {#1..5}.');
			return null;
		}
		const answers: NumericalAnswer[] = [];
		for (const it of items) {
			let start = this.trim(it).start;
			const weight = this.weight({ start, end: it.end }, false);
			if (weight === undefined) return null;
			const fraction = weight ? weight.fraction : 1;
			if (weight) start = weight.end;
			const [valueSpan, feedbackSpan] = this.splitFeedback({ start, end: it.end });
			const value = restoreEscapes(s.slice(valueSpan.start, valueSpan.end)).trim();
			const parsed = this.numericalValue(value, it.at);
			if (!parsed) return null;
			const feedback = feedbackSpan ? this.text(feedbackSpan, format) : undefined;
			answers.push({ ...parsed, fraction, ...(feedback?.text ? { feedback } : {}) });
		}
		if (!answers.some((a) => a.fraction === 1)) {
			this.error(open, 'Câu hỏi số cần ít nhất một đáp án được 100% (viết =số, không ghi trọng số).');
			return null;
		}
		return { type: 'numerical', ...base, answers, ...(otherFeedback ? { otherFeedback } : {}) } as ParsedQuestion;
	}

	private numericalValue(value: string, at: number): { kind: 'exact'; value: number; tolerance: number } | { kind: 'range'; min: number; max: number } | null {
		/** The number written, or null after reporting why it is not one. */
		const read = (v: string): number | null => {
			if (!NUMBER.test(v)) {
				let hint = '';
				if (/^[+-]?\d+,\d+$/.test(v)) hint = ` Dùng dấu chấm cho phần thập phân: ${v.replace(',', '.')}.`;
				else if (/^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(v)) hint = ` Viết số không có dấu chấm ngăn cách hàng nghìn: ${v.replace(/\./g, '').replace(',', '.')}. Người học vẫn gõ được ${v}.`;
				else if (v === '*') hint = ' Dùng ~#nhận xét cho mọi số khác.';
				this.error(at, `Câu hỏi số (numerical) có đáp án "${v}" không phải là số.${hint}`);
				return null;
			}
			const n = Number(v);
			if (!Number.isFinite(n)) {
				this.error(at, `Số "${v}" quá lớn để so sánh được: mọi câu trả lời sẽ bị chấm sai hoặc đúng hết. Hãy viết một số bình thường.`);
				return null;
			}
			if (/^[+-]?[1-9]\d{0,2}\.\d{3}$/.test(v)) {
				this.warning(
					at,
					`Trong GIFT, "${v}" là ${n} (dấu chấm là dấu thập phân). Nếu ý là ${v.replace('.', '')}, hãy viết ${v.replace('.', '')}; người học vẫn gõ được ${v}.`
				);
			}
			return n;
		};
		if (!value) {
			this.error(at, 'Đáp án trống sau dấu =. Xóa dấu = thừa hoặc viết một số.');
			return null;
		}
		const dots = value.indexOf('..');
		if (dots > 0) {
			const minText = value.slice(0, dots).trim();
			const maxText = value.slice(dots + 2).trim();
			const min = read(minText);
			if (min === null) return null;
			const max = read(maxText);
			if (max === null) return null;
			if (min > max) {
				this.error(at, `Khoảng ${minText}..${maxText} bị ngược: viết số nhỏ trước, ví dụ ${maxText}..${minText}.`);
				return null;
			}
			return { kind: 'range', min, max };
		}
		const colon = value.indexOf(':');
		const v = (colon > 0 ? value.slice(0, colon) : value).trim();
		const tolText = colon > 0 ? value.slice(colon + 1).trim() : '0';
		const n = read(v);
		if (n === null) return null;
		const tol = read(tolText);
		if (tol === null) return null;
		if (tol < 0) {
			this.error(at, `Sai số ${tolText} phải là số không âm, ví dụ ${v}:0.5.`);
			return null;
		}
		return { kind: 'exact', value: n, tolerance: tol };
	}

	/** A leading `%n%` weight: undefined after reporting an error, null when there is none. */
	private weight(span: Span, allowNegative: boolean): { fraction: number; end: number } | null | undefined {
		const rest = this.s.slice(span.start, span.end);
		if (rest[0] !== '%') return null;
		const m = WEIGHT.exec(rest);
		if (!m) {
			const like = WEIGHT_LIKE.exec(rest);
			if (!like) return null;
			this.error(span.start, `Trọng số "${like[0]}" phải là số phần trăm, ví dụ %50%.`);
			return undefined;
		}
		const percent = Number(m[1]);
		if (percent < 0 && !allowNegative) {
			this.error(span.start, `Trọng số âm ${m[0]} chỉ dùng được cho lựa chọn sai của câu nhiều lựa chọn (~%-50%).`);
			return undefined;
		}
		const fraction = fractionForPercent(percent, allowNegative);
		if (fraction === null) {
			this.error(
				span.start,
				`Moodle không nhận trọng số ${m[1]}%. Dùng một trong: ${MOODLE_PERCENTS.join(', ')}${allowNegative ? ' (có thể thêm dấu trừ)' : ''}.`
			);
			return undefined;
		}
		return { fraction, end: span.start + m[0].length };
	}

	/** Splits a span at every marker character; the first item (marker '') holds any text before the first marker. */
	private split(span: Span, markers: string): Item[] {
		const items: Item[] = [];
		let current: Item = { marker: '', start: span.start, end: span.end, at: span.start };
		for (let i = span.start; i < span.end; i++) {
			if (markers.includes(this.s[i])) {
				current.end = i;
				items.push(current);
				current = { marker: this.s[i], start: i + 1, end: span.end, at: i };
			}
		}
		items.push(current);
		return items;
	}

	private noLeadingText(items: Item[], message: string): boolean {
		const lead = this.trim(items[0]);
		if (lead.start < lead.end) {
			const text = restoreEscapes(this.s.slice(lead.start, lead.end)).trim();
			this.error(lead.start, `${message}: "${text}".`);
			return false;
		}
		return true;
	}

	/** Splits at the first `#`: the answer and its feedback (null when there is no `#`). */
	private splitFeedback(span: Span): [Span, Span | null] {
		const h = this.s.indexOf('#', span.start);
		if (h < 0 || h >= span.end) return [span, null];
		return [
			{ start: span.start, end: h },
			{ start: h + 1, end: span.end }
		];
	}

	/** Text of a span with an optional `[format]` prefix (else `format`), escapes resolved, trimmed. */
	private text(span: Span, format: GiftFormat): GiftText {
		const t = this.trim(span);
		let raw = this.s.slice(t.start, t.end);
		let f = format;
		const m = /^\[([a-z]+)\]/i.exec(raw);
		if (m) {
			const name = m[1] as GiftFormat;
			if (FORMATS.includes(name)) {
				f = name;
				raw = raw.slice(m[0].length);
			} else if (FORMATS.includes(name.toLowerCase() as GiftFormat)) {
				this.warning(t.start, `Định dạng ${m[0]} phải viết thường, ví dụ [${name.toLowerCase()}]; hiện đang được coi là chữ.`);
			}
		}
		return { text: restoreEscapes(raw).trim(), format: f };
	}

	private trim(span: Span): Span {
		let { start, end } = span;
		while (start < end && /\s/.test(this.s[start])) start++;
		while (end > start && /\s/.test(this.s[end - 1])) end--;
		return { start, end };
	}

	private lineAt(offset: number): number {
		return this.lineOf[Math.min(Math.max(offset, 0), this.lineOf.length - 1)];
	}

	private error(offset: number, message: string): void {
		this.failed = true;
		this.problems.push(error(this.lineAt(offset), message));
	}

	private warning(offset: number, message: string): void {
		this.problems.push(warning(this.lineAt(offset), message));
	}
}
