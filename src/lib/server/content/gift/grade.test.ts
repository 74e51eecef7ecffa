import { describe, expect, it } from 'vitest';
import { ALL_TYPES } from './fixtures';
import { gradeQuestion, gradeQuiz, isGradable, matchesWildcard, parseLearnerNumber, readLearnerNumber } from './grade';
import { choiceKeys, leftKey, matchOptions } from './keys';
import { parseGift } from './parse';
import type { GiftQuestion, MatchingQuestion, MultichoiceQuestion } from './types';

function q(source: string): GiftQuestion {
	const r = parseGift(source, { idPrefix: 'bai' });
	expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
	return r.questions[0];
}

function mc(source: string): MultichoiceQuestion {
	const question = q(source);
	if (question.type !== 'multichoice') throw new Error(question.type);
	return question;
}

/** Key of the choice with this text. */
function key(question: MultichoiceQuestion, text: string): string {
	const i = question.choices.findIndex((c) => c.text.text === text);
	expect(i).toBeGreaterThanOrEqual(0);
	return choiceKeys(question)[i];
}

function feedbackTexts(r: { feedback: { text: string }[] }): string[] {
	return r.feedback.map((f) => f.text);
}

describe('gradeQuestion: multiple choice, one answer', () => {
	const question = mc('::a:: Wi-Fi? {=Quạt #Đúng. ~4G #Sai. ~%50%Quạt nhỏ #Gần đúng. ~Pin ####Chung.}');

	it('grades the chosen option with its feedback and the general feedback', () => {
		expect(gradeQuestion(question, key(question, 'Quạt'))).toEqual({
			fraction: 1,
			state: 'correct',
			feedback: [{ text: 'Đúng.', format: 'moodle' }],
			generalFeedback: { text: 'Chung.', format: 'moodle' }
		});
		expect(gradeQuestion(question, key(question, '4G'))).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(feedbackTexts(gradeQuestion(question, key(question, '4G')))).toEqual(['Sai.']);
		expect(gradeQuestion(question, key(question, 'Quạt nhỏ'))).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(gradeQuestion(question, key(question, 'Pin'))).toMatchObject({ fraction: 0, state: 'incorrect', feedback: [] });
	});

	it('no answer, an unknown key or a list of keys is unanswered', () => {
		for (const r of [undefined, null, '', 'khong-co', ['x', 'y'], { a: 'b' }]) {
			expect(gradeQuestion(question, r as never)).toEqual({
				fraction: 0,
				state: 'unanswered',
				feedback: [],
				generalFeedback: { text: 'Chung.', format: 'moodle' }
			});
		}
	});

	it('a negative weight beside = scores 0, not below', () => {
		const neg = mc('::a:: X {=A ~%-50%B}');
		expect(gradeQuestion(neg, key(neg, 'B'))).toMatchObject({ fraction: 0, state: 'incorrect' });
	});
});

describe('gradeQuestion: multiple choice, several answers', () => {
	const question = mc(`::a:: An toàn? {
  ~%50%Mật khẩu dài #Tốt
  ~%50%Không cho người lạ
  ~%-100%Dán lên cửa #Nguy hiểm
  ~Đổi tên mạng #Không liên quan
}`);
	const [long, stranger, door, rename] = ['Mật khẩu dài', 'Không cho người lạ', 'Dán lên cửa', 'Đổi tên mạng'].map((t) =>
		key(question, t)
	);

	it('adds the weights of the chosen options', () => {
		expect(gradeQuestion(question, [long, stranger])).toMatchObject({ fraction: 1, state: 'correct' });
		expect(gradeQuestion(question, [long])).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(gradeQuestion(question, [long, rename])).toMatchObject({ fraction: 0.5, state: 'partial' });
	});

	it('negative weights take marks away, clamped to 0', () => {
		expect(gradeQuestion(question, [long, stranger, door])).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(gradeQuestion(question, [door])).toMatchObject({ fraction: 0, state: 'incorrect' });
	});

	it('ticking everything does not pay', () => {
		expect(gradeQuestion(question, [long, stranger, door, rename]).fraction).toBe(0);
	});

	it('gives the feedback of every chosen option, in source order', () => {
		expect(feedbackTexts(gradeQuestion(question, [rename, door, long]))).toEqual(['Tốt', 'Nguy hiểm', 'Không liên quan']);
	});

	it('a key sent twice counts once; unknown keys are ignored; one string is one key', () => {
		expect(gradeQuestion(question, [long, long])).toMatchObject({ fraction: 0.5 });
		expect(gradeQuestion(question, [long, 'gia-mao'])).toMatchObject({ fraction: 0.5 });
		expect(gradeQuestion(question, long)).toMatchObject({ fraction: 0.5 });
		expect(gradeQuestion(question, ['gia-mao'])).toMatchObject({ state: 'unanswered' });
		expect(gradeQuestion(question, [])).toMatchObject({ state: 'unanswered' });
	});

	it('thirds add up to a full mark', () => {
		const thirds = mc('::a:: X {~%33.33333%A ~%33.33333%B ~%33.33333%C ~D}');
		expect(gradeQuestion(thirds, ['A', 'B', 'C'].map((t) => key(thirds, t)))).toMatchObject({ fraction: 1, state: 'correct' });
		expect(gradeQuestion(thirds, [key(thirds, 'A')])).toMatchObject({ fraction: 0.3333333, state: 'partial' });
	});
});

describe('gradeQuestion: true/false', () => {
	const falseStatement = q('::a:: Wi-Fi công cộng luôn an toàn. {F#Chưa đúng: có thể bị nghe lén.#Đúng vậy.}');

	it('grades and gives the wrong/right feedback as Moodle does', () => {
		expect(gradeQuestion(falseStatement, 'false')).toMatchObject({ fraction: 1, state: 'correct' });
		expect(feedbackTexts(gradeQuestion(falseStatement, 'false'))).toEqual(['Đúng vậy.']);
		expect(gradeQuestion(falseStatement, 'true')).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(feedbackTexts(gradeQuestion(falseStatement, 'true'))).toEqual(['Chưa đúng: có thể bị nghe lén.']);
		const trueStatement = q('::a:: X {TRUE}');
		expect(gradeQuestion(trueStatement, 'true')).toMatchObject({ state: 'correct', feedback: [] });
		expect(gradeQuestion(trueStatement, 'false')).toMatchObject({ state: 'incorrect' });
	});

	it('anything else is unanswered', () => {
		expect(gradeQuestion(falseStatement, 'yes').state).toBe('unanswered');
		expect(gradeQuestion(falseStatement, undefined).state).toBe('unanswered');
	});
});

describe('gradeQuestion: short answer', () => {
	it('either Vietnamese tone placement is the same answer (hoà/hòa, thuỷ/thủy, khoẻ/khỏe), decomposed or not', () => {
		const peace = q('::a:: Hòa bình? {=hòa bình}');
		expect(gradeQuestion(peace, 'hoà bình')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(peace, 'HOÀ BÌNH')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(peace, 'hoà bình'.normalize('NFD'))).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(q('::a:: Thủy lợi? {=thuỷ lợi}'), 'thủy lợi')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(q('::a:: Sức khỏe? {=khỏe mạnh}'), 'khoẻ mạnh')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(q('::a:: Sức khỏe? {=kho* mạnh}'), 'khoẻ mạnh')).toMatchObject({ fraction: 1 });
		// Another tone is another word.
		expect(gradeQuestion(peace, 'hoá bình')).toMatchObject({ fraction: 0 });
		expect(gradeQuestion(peace, 'hoa bình')).toMatchObject({ fraction: 0 });
	});

	const question = q('::a:: Ứng dụng định danh? {=VNeID #Chính xác =%50%VN*ID #Gần đúng =%0%* #Gợi ý: Bộ Công an}');

	it('ignores case, surrounding and repeated spaces', () => {
		expect(gradeQuestion(question, 'vneid')).toMatchObject({ fraction: 1, state: 'correct' });
		expect(gradeQuestion(question, '  VNEID  ')).toMatchObject({ fraction: 1 });
		expect(feedbackTexts(gradeQuestion(question, 'VNeID'))).toEqual(['Chính xác']);
	});

	it('* matches any characters; the first matching answer wins', () => {
		expect(gradeQuestion(question, 'VN ID')).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(feedbackTexts(gradeQuestion(question, 'vn-id'))).toEqual(['Gần đúng']);
		expect(gradeQuestion(question, 'Zalo')).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(feedbackTexts(gradeQuestion(question, 'Zalo'))).toEqual(['Gợi ý: Bộ Công an']);
	});

	it('an empty or blank answer is unanswered', () => {
		expect(gradeQuestion(question, '').state).toBe('unanswered');
		expect(gradeQuestion(question, '   ').state).toBe('unanswered');
	});

	it('compares Vietnamese text typed with decomposed accents', () => {
		const hanoi = q('::a:: Thủ đô? {=Hà Nội}');
		expect(gradeQuestion(hanoi, 'ha\u0300 no\u0302\u0323i').state).toBe('correct');
		expect(gradeQuestion(hanoi, 'HÀ   NỘI').state).toBe('correct');
		expect(gradeQuestion(hanoi, 'Ha Noi').state).toBe('incorrect');
	});

	it('matchesWildcard: \\* is a literal asterisk, regex characters are literal', () => {
		expect(matchesWildcard('A*B', 'A\\*B')).toBe(true);
		expect(matchesWildcard('AxB', 'A\\*B')).toBe(false);
		expect(matchesWildcard('a.b', 'a.b')).toBe(true);
		expect(matchesWildcard('axb', 'a.b')).toBe(false);
		expect(matchesWildcard('(1+1)', '(1+1)')).toBe(true);
		expect(matchesWildcard('Đăng nhập', 'đăng*')).toBe(true);
		expect(matchesWildcard('x', '*')).toBe(true);
	});

	it('the literal-asterisk answer of the fixture', () => {
		const fixture = parseGift(ALL_TYPES, { idPrefix: 'bai' }).questions.find((x) => x.id === 'du-lieu-4')!;
		expect(gradeQuestion(fixture, 'a*b').state).toBe('correct');
		expect(gradeQuestion(fixture, 'aXb').state).toBe('incorrect');
	});
});

describe('matchesWildcard on answers crafted to be slow', () => {
	/** Reference: the textbook dynamic programme over (pattern, answer) prefixes, quadratic but obviously right. */
	function reference(answer: string, pattern: string): boolean {
		const a = Array.from(answer.toLowerCase());
		const p: (string | null)[] = [];
		const chars = Array.from(pattern.toLowerCase());
		for (let i = 0; i < chars.length; i++) {
			if (chars[i] === '\\' && chars[i + 1] === '*') {
				p.push('*');
				i++;
			} else p.push(chars[i] === '*' ? null : chars[i]);
		}
		let row = [true, ...a.map(() => false)];
		for (const c of p) {
			const next = [c === null && row[0], ...a.map(() => false)];
			for (let j = 1; j <= a.length; j++) {
				next[j] = c === null ? row[j] || next[j - 1] : row[j - 1] && a[j - 1] === c;
			}
			row = next;
		}
		return row[a.length];
	}

	it('ten stars before a letter, against 30 and 5,000 characters', () => {
		const stars = q('::a:: Gõ x {=**********x}');
		expect(gradeQuestion(stars, 'a'.repeat(30)).state).toBe('incorrect');
		expect(gradeQuestion(stars, 'a'.repeat(29) + 'x').state).toBe('correct');
		// Longer than a graded answer may be (grading cuts it): the matcher itself.
		for (const n of [30, 5000]) {
			expect(matchesWildcard('a'.repeat(n), '**********x')).toBe(false);
			expect(matchesWildcard('a'.repeat(n - 1) + 'x', '**********x')).toBe(true);
			expect(matchesWildcard('x' + 'a'.repeat(n - 1), '**********x')).toBe(false);
			expect(matchesWildcard('xa'.repeat(n / 2), '*x*x*x*x*x*a')).toBe(true);
		}
	});

	it('a realistic pattern against crafted 500-character answers', () => {
		const wifi = q('::a:: Bật Wi-Fi ở đâu? {=*bật*wi*fi*trong*cài*đặt*}');
		const almost = ('bật wi fi trong cài ').repeat(25).slice(0, 500);
		expect(Array.from(almost).length).toBe(500);
		expect(gradeQuestion(wifi, almost).state).toBe('incorrect');
		const wis = ('bật ' + 'wi'.repeat(248)).slice(0, 500);
		expect(gradeQuestion(wifi, wis).state).toBe('incorrect');
		const right = almost.slice(0, 495) + ' đặt';
		expect(gradeQuestion(wifi, right).state).toBe('correct');
		expect(gradeQuestion(wifi, 'Vào Cài đặt, BẬT Wi-Fi trong mục Cài Đặt').state).toBe('correct');
		expect(gradeQuestion(wifi, 'Bật Wi-Fi trong Cài đặt').state).toBe('correct');
		expect(gradeQuestion(wifi, 'Bật Wi-Fi trong Cài').state).toBe('incorrect');
	});

	it('pieces must not overlap: the first and last piece each need their own characters', () => {
		expect(matchesWildcard('ab', 'ab*b')).toBe(false);
		expect(matchesWildcard('abb', 'ab*b')).toBe(true);
		expect(matchesWildcard('aa', 'a*a*a')).toBe(false);
		expect(matchesWildcard('aaa', 'a*a*a')).toBe(true);
		expect(matchesWildcard('', '**')).toBe(true);
		expect(matchesWildcard('ababac', '*abac')).toBe(true);
		expect(matchesWildcard('aabaab', '*aab*aab')).toBe(true);
	});

	it('agrees with the reference on many small answers and patterns', () => {
		let seed = 12345;
		const random = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % n;
		};
		const word = (alphabet: string, max: number) =>
			Array.from({ length: random(max + 1) }, () => alphabet[random(alphabet.length)]).join('');
		let matched = 0;
		for (let i = 0; i < 3000; i++) {
			const pattern = word('abA*', 7);
			const answer = word('abB', 9);
			const expected = reference(answer, pattern);
			if (expected) matched++;
			expect(matchesWildcard(answer, pattern), `${answer} ~ ${pattern}`).toBe(expected);
		}
		// Both outcomes were exercised.
		expect(matched).toBeGreaterThan(100);
		expect(matched).toBeLessThan(2900);
	});
});

describe('gradeQuestion: numerical', () => {
	it('value:tolerance includes both ends', () => {
		const pi = q('::a:: Pi? {#3.14:0.01}');
		expect(gradeQuestion(pi, '3.14').state).toBe('correct');
		expect(gradeQuestion(pi, '3.13').state).toBe('correct');
		expect(gradeQuestion(pi, '3.15').state).toBe('correct');
		expect(gradeQuestion(pi, '3.16').state).toBe('incorrect');
		expect(gradeQuestion(pi, '3.1').state).toBe('incorrect');
	});

	it('accepts the Vietnamese decimal comma and the point', () => {
		const half = q('::a:: X {#3.5}');
		expect(gradeQuestion(half, '3,5').state).toBe('correct');
		expect(gradeQuestion(half, '3.5').state).toBe('correct');
		expect(gradeQuestion(half, ' 3,50 ').state).toBe('correct');
		expect(gradeQuestion(half, '35').state).toBe('incorrect');
	});

	it('min..max', () => {
		const range = q('::a:: X {#1..5}');
		expect(['1', '3', '5', '4,99'].map((r) => gradeQuestion(range, r).state)).toEqual([
			'correct',
			'correct',
			'correct',
			'correct'
		]);
		expect(['0.99', '5.01', '-3'].map((r) => gradeQuestion(range, r).state)).toEqual(['incorrect', 'incorrect', 'incorrect']);
	});

	it('several answers: the first one containing the number grades it; ~# for the rest', () => {
		const question = q(`::a:: 100 Mbps = ? MB/s {#
  =12.5:0.1 #Chính xác.
  =%50%100 #Đó là megabit.
  ~#Gợi ý: chia cho 8.
}`);
		expect(gradeQuestion(question, '12,5')).toMatchObject({ fraction: 1, state: 'correct' });
		expect(feedbackTexts(gradeQuestion(question, '12.45'))).toEqual(['Chính xác.']);
		expect(gradeQuestion(question, '100')).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(feedbackTexts(gradeQuestion(question, '100'))).toEqual(['Đó là megabit.']);
		expect(gradeQuestion(question, '8')).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(feedbackTexts(gradeQuestion(question, '8'))).toEqual(['Gợi ý: chia cho 8.']);
	});

	it('text that is not a number is wrong without feedback; nothing is unanswered', () => {
		const question = q('::a:: X {#3 ~#Khác}');
		expect(gradeQuestion(question, 'ba')).toMatchObject({ fraction: 0, state: 'incorrect', feedback: [] });
		expect(gradeQuestion(question, '1.00,5')).toMatchObject({ state: 'incorrect', feedback: [] });
		expect(gradeQuestion(question, '1.2.3')).toMatchObject({ state: 'incorrect', feedback: [] });
		expect(gradeQuestion(question, '').state).toBe('unanswered');
	});

	it('numbers as Vietnamese write them: dots between thousands, a comma before decimals', () => {
		expect(gradeQuestion(q('::a:: Một nghìn? {#1000}'), '1.000')).toMatchObject({ fraction: 1, state: 'correct' });
		expect(gradeQuestion(q('::a:: Phí? {#5000000}'), '5.000.000')).toMatchObject({ fraction: 1, state: 'correct' });
		expect(gradeQuestion(q('::a:: Phí? {#5000000}'), '5 000 000')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(q('::a:: Cân nặng? {#1.5}'), '1,5')).toMatchObject({ fraction: 1, state: 'correct' });
		expect(gradeQuestion(q('::a:: Số? {#1234.5}'), '1.234,5')).toMatchObject({ fraction: 1 });
		// The English way is read too.
		expect(gradeQuestion(q('::a:: Phí? {#5000000}'), '5,000,000')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(q('::a:: Số pi? {#3.14:0.01}'), '3.14')).toMatchObject({ fraction: 1 });
		// Wrong stays wrong under every reading.
		expect(gradeQuestion(q('::a:: Phí? {#5000000}'), '5.000')).toMatchObject({ fraction: 0 });
		expect(gradeQuestion(q('::a:: Phí? {#5000000}'), '500.000')).toMatchObject({ fraction: 0 });
		expect(gradeQuestion(q('::a:: Cân nặng? {#1.5}'), '15')).toMatchObject({ fraction: 0 });
	});

	it('a response with two readings gets the better one', () => {
		const question = q('::a:: Bao nhiêu? {#=1000 =%50%1}');
		expect(gradeQuestion(question, '1.000')).toMatchObject({ fraction: 1 });
		expect(gradeQuestion(question, '1')).toMatchObject({ fraction: 0.5 });
	});

	it('readLearnerNumber lists every reading, the Vietnamese one first', () => {
		expect(readLearnerNumber('1.000')).toEqual([1000, 1]);
		expect(readLearnerNumber('1,000')).toEqual([1, 1000]);
		expect(readLearnerNumber('5.000.000')).toEqual([5000000]);
		expect(readLearnerNumber('-1.234,5')).toEqual([-1234.5]);
		expect(readLearnerNumber('3,14')).toEqual([3.14]);
		expect(readLearnerNumber('1e400')).toEqual([]);
		expect(readLearnerNumber('1.00.000')).toEqual([]);
	});

	it('parseLearnerNumber', () => {
		expect(parseLearnerNumber('3,5')).toBe(3.5);
		expect(parseLearnerNumber('-0,25')).toBe(-0.25);
		expect(parseLearnerNumber('\u22122')).toBe(-2);
		expect(parseLearnerNumber('1e3')).toBe(1000);
		expect(parseLearnerNumber(',5')).toBe(0.5);
		expect(parseLearnerNumber('1,2,3')).toBeNull();
		expect(parseLearnerNumber('1.2,3')).toBeNull();
		expect(parseLearnerNumber('12abc')).toBeNull();
		expect(parseLearnerNumber('')).toBeNull();
	});
});

describe('gradeQuestion: matching', () => {
	const question = q(`::a:: Ghép {
  =Zalo -> Nhắn tin
  =VNeID -> Định danh
  =Maps -> Tìm đường
  = -> Nấu cơm
  ####Chung
}`) as MatchingQuestion;
	const keyOf = Object.fromEntries(matchOptions(question).map((o) => [o.text, o.key]));
	const all = { [leftKey(0)]: keyOf['Nhắn tin'], [leftKey(1)]: keyOf['Định danh'], [leftKey(2)]: keyOf['Tìm đường'] };

	it('scores the share of items matched rightly', () => {
		expect(gradeQuestion(question, all)).toMatchObject({ fraction: 1, state: 'correct', feedback: [] });
		expect(gradeQuestion(question, { ...all, [leftKey(2)]: keyOf['Nấu cơm'] })).toMatchObject({
			fraction: 0.6666667,
			state: 'partial'
		});
		expect(gradeQuestion(question, { [leftKey(0)]: keyOf['Nhắn tin'] })).toMatchObject({ fraction: 0.3333333 });
		expect(
			gradeQuestion(question, { [leftKey(0)]: keyOf['Định danh'], [leftKey(1)]: keyOf['Nhắn tin'] })
		).toMatchObject({ fraction: 0, state: 'incorrect' });
	});

	it('nothing chosen is unanswered; general feedback is always given', () => {
		expect(gradeQuestion(question, {})).toMatchObject({ state: 'unanswered', generalFeedback: { text: 'Chung' } });
		expect(gradeQuestion(question, { a: '' })).toMatchObject({ state: 'unanswered' });
		expect(gradeQuestion(question, 'x')).toMatchObject({ state: 'unanswered' });
	});

	it('equal right-hand texts are one option, right for each item that has it', () => {
		const same = q('::a:: Loại? {=Zalo -> Ứng dụng =Chrome -> Ứng dụng =Wi-Fi -> Kết nối}') as MatchingQuestion;
		const options = matchOptions(same);
		expect(options.map((o) => o.text)).toEqual(['Ứng dụng', 'Kết nối']);
		const app = options[0].key;
		expect(gradeQuestion(same, { a: app, b: app, c: options[1].key }).state).toBe('correct');
	});
});

describe('essays, descriptions and whole quizzes', () => {
	it('an essay waits for the trainer; a description is not gradable', () => {
		const essay = q('::a:: Viết. {####Giảng viên chấm.}');
		expect(gradeQuestion(essay, 'bài viết')).toEqual({
			fraction: 0,
			state: 'manual',
			feedback: [],
			generalFeedback: { text: 'Giảng viên chấm.', format: 'moodle' }
		});
		expect(isGradable(essay)).toBe(false);
		expect(isGradable(q('::a:: Giới thiệu.'))).toBe(false);
		expect(isGradable(q('::a:: X {T}'))).toBe(true);
	});

	it('the score is the mean of the auto-graded questions, in percent', () => {
		const { questions } = parseGift(
			`::tf:: X {T}

::mc:: Y {~%50%A ~%50%B ~C}

::num:: Z {#2}

::essay:: Viết {}

Giới thiệu.`,
			{ idPrefix: 'bai' }
		);
		const m = questions[1] as MultichoiceQuestion;
		const grade = gradeQuiz(questions, { tf: 'true', mc: [key(m, 'A')], essay: 'bài' });
		expect(grade.gradable).toBe(3);
		expect(grade.score).toBe(50);
		expect(Object.keys(grade.results)).toEqual(['tf', 'mc', 'num', 'essay']);
		expect(grade.results.num.state).toBe('unanswered');
		expect(grade.results.essay.state).toBe('manual');
	});

	it('rounds to hundredths and gives 100 when nothing is auto-graded', () => {
		const { questions } = parseGift('::a:: X {T}\n\n::b:: Y {T}\n\n::c:: Z {T}', { idPrefix: 'bai' });
		expect(gradeQuiz(questions, { a: 'true' }).score).toBe(33.33);
		expect(gradeQuiz(questions, { a: 'true', b: 'true', c: 'true' }).score).toBe(100);
		const essays = parseGift('::a:: Viết {}', { idPrefix: 'bai' }).questions;
		expect(gradeQuiz(essays, {})).toMatchObject({ score: 100, gradable: 0 });
	});

	it('grades the right answer of every fixture question as correct', () => {
		const { questions } = parseGift(ALL_TYPES, { idPrefix: 'bai' });
		const responses: Record<string, string | string[] | Record<string, string>> = {};
		for (const x of questions) {
			if (x.type === 'multichoice') {
				const keys = choiceKeys(x);
				const right = x.choices.map((c, i) => (c.fraction > 0 ? keys[i] : null)).filter((k): k is string => k !== null);
				responses[x.id] = x.single ? keys[x.choices.findIndex((c) => c.fraction === 1)] : right;
			} else if (x.type === 'truefalse') responses[x.id] = String(x.answer);
			else if (x.type === 'shortanswer') responses[x.id] = x.answers[0].text.replace('\\*', '*');
			else if (x.type === 'numerical') {
				const a = x.answers[0];
				responses[x.id] = String(a.kind === 'range' ? a.min : a.value).replace('.', ',');
			} else if (x.type === 'matching') {
				const keyOfText = Object.fromEntries(matchOptions(x).map((o) => [o.text, o.key]));
				responses[x.id] = Object.fromEntries(x.pairs.map((p, i) => [leftKey(i), keyOfText[p.right]]));
			}
		}
		const grade = gradeQuiz(questions, responses);
		expect(grade.score).toBe(100);
		expect(grade.gradable).toBe(14);
	});
});
