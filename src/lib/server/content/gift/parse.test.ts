import { describe, expect, it } from 'vitest';
import { ALL_TYPES, ALL_TYPES_LINES } from './fixtures';
import { parseGift } from './parse';
import type { GiftQuestion } from './types';

function parse(source: string, lineOffset = 0) {
	return parseGift(source, { idPrefix: 'bai', lineOffset });
}

/** The only question of a source that must parse without errors. */
function one(source: string): GiftQuestion {
	const r = parse(source);
	expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
	expect(r.questions).toHaveLength(1);
	return r.questions[0];
}

/** The problems of a source, as "line: severity: message". */
function problems(source: string, lineOffset = 0): string[] {
	return parse(source, lineOffset).problems.map((p) => `${p.line}: ${p.severity}: ${p.message}`);
}

function errorAt(source: string, lineOffset = 0): { line: number; message: string } {
	const r = parse(source, lineOffset);
	const errors = r.problems.filter((p) => p.severity === 'error');
	expect(errors).toHaveLength(1);
	return { line: errors[0].line, message: errors[0].message };
}

describe('parseGift: question types', () => {
	it('reads the fixture with every type without problems, at the right lines', () => {
		const r = parse(ALL_TYPES);
		expect(r.problems).toEqual([]);
		const lines = Object.fromEntries(r.questions.map((q) => [q.id, q.line]));
		expect(lines).toEqual({ ...ALL_TYPES_LINES, 'bai-q12': 52 });
		expect(r.questions.map((q) => q.type)).toEqual([
			'multichoice',
			'multichoice',
			'truefalse',
			'shortanswer',
			'matching',
			'numerical',
			'numerical',
			'numerical',
			'numerical',
			'shortanswer',
			'essay',
			'description',
			'multichoice',
			'multichoice',
			'truefalse',
			'shortanswer',
			'essay'
		]);
	});

	it('multiple choice with one answer: = is right, ~ is wrong, # feedback, #### general feedback', () => {
		const q = one(`::k1-wifi-1:: Biểu tượng nào là Wi-Fi? {
  =Hình cái quạt #Đúng.
  ~Chữ 4G #Chưa đúng.
  ~Hình cái pin
  ####Wi-Fi dùng sóng vô tuyến.
}`);
		expect(q).toEqual({
			name: 'k1-wifi-1',
			id: 'k1-wifi-1',
			idDerived: false,
			line: 1,
			type: 'multichoice',
			single: true,
			stem: { text: 'Biểu tượng nào là Wi-Fi?', format: 'moodle' },
			generalFeedback: { text: 'Wi-Fi dùng sóng vô tuyến.', format: 'moodle' },
			choices: [
				{ text: { text: 'Hình cái quạt', format: 'moodle' }, fraction: 1, feedback: { text: 'Đúng.', format: 'moodle' } },
				{ text: { text: 'Chữ 4G', format: 'moodle' }, fraction: 0, feedback: { text: 'Chưa đúng.', format: 'moodle' } },
				{ text: { text: 'Hình cái pin', format: 'moodle' }, fraction: 0 }
			]
		});
	});

	it('multiple choice on one line, and partial credit beside = (still one answer)', () => {
		const q = one('::a:: Chọn {~Một =Hai ~%50%Ba}');
		expect(q.type === 'multichoice' && q.single).toBe(true);
		expect(q.type === 'multichoice' && q.choices.map((c) => [c.text.text, c.fraction])).toEqual([
			['Một', 0],
			['Hai', 1],
			['Ba', 0.5]
		]);
	});

	it('multiple answers: only ~%n% weights, negative weights allowed, Moodle fractions kept', () => {
		const q = one(`::a:: Chọn các ý đúng {
  ~%33.33333%Một
  ~%33.33333%Hai
  ~%33.33333%Ba
  ~%-50%Bốn #Trừ điểm
  ~%-100%Năm
  ~Sáu
}`);
		if (q.type !== 'multichoice') throw new Error(q.type);
		expect(q.single).toBe(false);
		expect(q.choices.map((c) => c.fraction)).toEqual([0.3333333, 0.3333333, 0.3333333, -0.5, -1, 0]);
		expect(q.choices[3].feedback).toEqual({ text: 'Trừ điểm', format: 'moodle' });
	});

	it('true/false: {T} {TRUE} {F} {FALSE}, first # for a wrong answer, second for a right one', () => {
		for (const [mark, answer] of [
			['T', true],
			['TRUE', true],
			['F', false],
			['FALSE', false]
		] as const) {
			const q = one(`::a:: Câu nói {${mark}}`);
			expect(q).toMatchObject({ type: 'truefalse', answer });
			expect(q).not.toHaveProperty('feedbackWrong');
		}
		const q = one('::a:: Mạng công cộng an toàn. {F#Sai rồi, có thể bị nghe lén.#Đúng, cẩn thận là tốt.}');
		expect(q).toMatchObject({
			type: 'truefalse',
			answer: false,
			feedbackWrong: { text: 'Sai rồi, có thể bị nghe lén.', format: 'moodle' },
			feedbackRight: { text: 'Đúng, cẩn thận là tốt.', format: 'moodle' }
		});
		expect(one('::a:: X {TRUE##Đúng}')).toMatchObject({
			answer: true,
			feedbackRight: { text: 'Đúng' }
		});
		expect(one('::a:: X {T####Chung}')).toMatchObject({ generalFeedback: { text: 'Chung' } });
	});

	it('short answer: every answer starts with =, weights, wildcards, feedback', () => {
		const q = one('::a:: Ứng dụng định danh? {=VNeID #Chính xác =%50%VN*ID #Gần đúng =%0%* #Gợi ý: Bộ Công an}');
		expect(q).toMatchObject({
			type: 'shortanswer',
			answers: [
				{ text: 'VNeID', fraction: 1, feedback: { text: 'Chính xác' } },
				{ text: 'VN*ID', fraction: 0.5, feedback: { text: 'Gần đúng' } },
				{ text: '*', fraction: 0, feedback: { text: 'Gợi ý: Bộ Công an' } }
			]
		});
	});

	it('matching: pairs with ->, extra right-hand options written = -> text', () => {
		const q = one(`::a:: Ghép ứng dụng với việc {
  =Zalo -> Nhắn tin
  =VNeID -> Định danh
  =[markdown]**Maps** -> Tìm đường
  = -> Nấu cơm
  ####Mỗi ứng dụng một việc.
}`);
		expect(q).toMatchObject({
			type: 'matching',
			pairs: [
				{ left: { text: 'Zalo', format: 'moodle' }, right: 'Nhắn tin' },
				{ left: { text: 'VNeID', format: 'moodle' }, right: 'Định danh' },
				{ left: { text: '**Maps**', format: 'markdown' }, right: 'Tìm đường' }
			],
			distractors: ['Nấu cơm'],
			generalFeedback: { text: 'Mỗi ứng dụng một việc.' }
		});
	});

	it('matching needs 2 pairs and 3 right-hand options (Moodle’s rule)', () => {
		expect(one('::a:: G {=A -> 1 =B -> 2 = -> 3}')).toMatchObject({ type: 'matching' });
		const e = errorAt('::a:: G {\n=A -> 1\n=B -> 2\n}');
		expect(e.line).toBe(1);
		expect(e.message).toContain('ít nhất 2 cặp và tổng cộng 3 mục bên phải');
		expect(errorAt('::a:: G {=A -> 1 = -> 2 = -> 3}').message).toContain('ít nhất 2 cặp');
	});

	it('numerical: value:tolerance, bare value, min..max, negatives and exponents', () => {
		expect(one('::a:: Pi? {#3.14:0.01}')).toMatchObject({
			type: 'numerical',
			answers: [{ kind: 'exact', value: 3.14, tolerance: 0.01, fraction: 1 }]
		});
		expect(one('::a:: Số? {#8}')).toMatchObject({ answers: [{ kind: 'exact', value: 8, tolerance: 0 }] });
		expect(one('::a:: Số? {#1..5}')).toMatchObject({ answers: [{ kind: 'range', min: 1, max: 5, fraction: 1 }] });
		expect(one('::a:: Số? {#-5..-1.5}')).toMatchObject({ answers: [{ kind: 'range', min: -5, max: -1.5 }] });
		expect(one('::a:: Số? {#1e3:5}')).toMatchObject({ answers: [{ kind: 'exact', value: 1000, tolerance: 5 }] });
	});

	it('numerical: several weighted answers, feedback, ~# for any other number', () => {
		const q = one(`::a:: 100 Mbps là bao nhiêu MB/s? {#
  =12.5:0.1 #Chính xác.
  =%50%100 #Đó là megabit.
  ~#Gợi ý: 1 byte = 8 bit.
}`);
		expect(q).toMatchObject({
			type: 'numerical',
			answers: [
				{ kind: 'exact', value: 12.5, tolerance: 0.1, fraction: 1, feedback: { text: 'Chính xác.' } },
				{ kind: 'exact', value: 100, tolerance: 0, fraction: 0.5, feedback: { text: 'Đó là megabit.' } }
			],
			otherFeedback: { text: 'Gợi ý: 1 byte = 8 bit.' }
		});
		expect(one('::a:: X {# =%100%3.14:0 =%50%3:0.5}')).toMatchObject({
			answers: [
				{ value: 3.14, tolerance: 0, fraction: 1 },
				{ value: 3, tolerance: 0.5, fraction: 0.5 }
			]
		});
	});

	it('missing word: the text after the answer block becomes stemAfter, for any type', () => {
		expect(one('::a:: Hà Nội là {~thành phố =thủ đô} của Việt Nam.')).toMatchObject({
			type: 'multichoice',
			stem: { text: 'Hà Nội là' },
			stemAfter: { text: 'của Việt Nam.', format: 'moodle' }
		});
		expect(one('::a:: Hai cộng hai bằng {#4} nhé.')).toMatchObject({ type: 'numerical', stemAfter: { text: 'nhé.' } });
		expect(one('::a:: {=Zalo} là ứng dụng nhắn tin.')).toMatchObject({
			type: 'shortanswer',
			stem: { text: '' },
			stemAfter: { text: 'là ứng dụng nhắn tin.' }
		});
		expect(one('::a:: Không có chữ sau. {=x}')).not.toHaveProperty('stemAfter');
	});

	it('essay {} and description (no answer block)', () => {
		expect(one('::a:: Viết cảm nghĩ. {}')).toEqual({
			name: 'a',
			id: 'a',
			idDerived: false,
			line: 1,
			type: 'essay',
			stem: { text: 'Viết cảm nghĩ.', format: 'moodle' }
		});
		expect(one('::a:: Viết cảm nghĩ. {####Giảng viên chấm.}')).toMatchObject({
			type: 'essay',
			generalFeedback: { text: 'Giảng viên chấm.' }
		});
		expect(one('::a:: Phần sau nói về Zalo.')).toMatchObject({ type: 'description', stem: { text: 'Phần sau nói về Zalo.' } });
	});
});

describe('parseGift: syntax', () => {
	it('escapes \\~ \\= \\# \\{ \\} \\: \\n and \\\\', () => {
		const q = one(String.raw`::a\:b:: Giá 5\~10\= \{x\} \#1\: xong\ndòng hai \\ {=a\=b\#c #ý \# kiến ~d\~e}`);
		expect(q.name).toBe('a:b');
		expect(q.id).toBe('a-b');
		expect(q.stem.text).toBe('Giá 5~10= {x} #1: xong\ndòng hai \\');
		if (q.type !== 'multichoice') throw new Error(q.type);
		expect(q.choices[0].text.text).toBe('a=b#c');
		expect(q.choices[0].feedback?.text).toBe('ý # kiến');
		expect(q.choices[1].text.text).toBe('d~e');
	});

	it('a backslash before another character stays', () => {
		expect(one(String.raw`::a:: Thư mục C\Users\x.`).stem.text).toBe(String.raw`Thư mục C\Users\x.`);
	});

	it('// comment lines are skipped, inside and between questions, keeping line numbers', () => {
		const r = parse(`// Đầu tệp

::a:: Câu một {
// giữa khối đáp án
=Đúng
~Sai
}
// chỉ có chú thích

// chú thích ngay trên câu
::b:: Câu hai {T}`);
		expect(r.problems).toEqual([]);
		expect(r.questions.map((q) => [q.id, q.line])).toEqual([
			['a', 3],
			['b', 11]
		]);
		expect(r.questions[0].type === 'multichoice' && r.questions[0].choices).toHaveLength(2);
	});

	it('a URL with // inside a line is not a comment', () => {
		expect(one('::a:: Mở https://dichvucong.gov.vn để nộp hồ sơ.').stem.text).toBe(
			'Mở https://dichvucong.gov.vn để nộp hồ sơ.'
		);
	});

	it('$CATEGORY applies to the questions below it until the next one', () => {
		const r = parse(`::a:: Trước {T}

$CATEGORY: $course$/top/Kỹ năng số/An toàn

::b:: Một {T}

::c:: Hai {F}

$CATEGORY: Kỹ năng số/Zalo

::d:: Ba {T}`);
		expect(r.problems).toEqual([]);
		expect(r.questions.map((q) => [q.id, q.category])).toEqual([
			['a', undefined],
			['b', '$course$/top/Kỹ năng số/An toàn'],
			['c', '$course$/top/Kỹ năng số/An toàn'],
			['d', 'Kỹ năng số/Zalo']
		]);
		expect(r.questions[0]).not.toHaveProperty('category');
	});

	it('formats: [markdown] [html] [plain] [moodle]; answers and feedback default to the question’s format', () => {
		const q = one('::a:: [markdown]Chọn **một** {=[html]<b>A</b> #[plain]<đúng> ~B #*in nghiêng* ####[moodle]Chung}');
		if (q.type !== 'multichoice') throw new Error(q.type);
		expect(q.stem).toEqual({ text: 'Chọn **một**', format: 'markdown' });
		expect(q.choices[0].text).toEqual({ text: '<b>A</b>', format: 'html' });
		expect(q.choices[0].feedback).toEqual({ text: '<đúng>', format: 'plain' });
		expect(q.choices[1].text).toEqual({ text: 'B', format: 'markdown' });
		expect(q.choices[1].feedback).toEqual({ text: '*in nghiêng*', format: 'markdown' });
		expect(q.generalFeedback).toEqual({ text: 'Chung', format: 'moodle' });
		expect(one('::a:: [Hình 1] cho thấy gì?').stem).toEqual({ text: '[Hình 1] cho thấy gì?', format: 'moodle' });
	});

	it('an upper-case format is text, with a warning', () => {
		const r = parse('::a:: [HTML]<b>x</b> {T}');
		expect(r.questions[0].stem).toEqual({ text: '[HTML]<b>x</b>', format: 'moodle' });
		expect(r.problems).toEqual([
			{ line: 1, severity: 'warning', message: expect.stringContaining('[html]') }
		]);
	});

	it('a question may span lines and answers may be indented; CRLF works', () => {
		const q = one('::a::\r\n  Câu hỏi\r\n  hai dòng?\r\n{\r\n\t=Có\r\n\t~Không\r\n}\r\n');
		expect(q.stem.text).toBe('Câu hỏi\nhai dòng?');
		expect(q.type === 'multichoice' && q.choices.map((c) => c.text.text)).toEqual(['Có', 'Không']);
	});
});

describe('parseGift: names and ids', () => {
	it('slugifies names, stripping Vietnamese accents and đ', () => {
		expect(one('::Câu Đúng/Sai số 1:: X {T}')).toMatchObject({ name: 'Câu Đúng/Sai số 1', id: 'cau-dung-sai-so-1' });
		expect(one('::  Đăng nhập VNeID  :: X {T}').id).toBe('dang-nhap-vneid');
	});

	it('derives ids from the position and warns when a question has no name', () => {
		const r = parse('::a:: Một {T}\n\nHai {F}\n\nPhần giới thiệu.\n\nBa {T}');
		expect(r.questions.map((q) => [q.id, q.idDerived])).toEqual([
			['a', false],
			['bai-q2', true],
			['bai-q3', true],
			['bai-q4', true]
		]);
		expect(r.questions[1]).not.toHaveProperty('name');
		expect(problems('::a:: Một {T}\n\nHai {F}\n\nPhần giới thiệu.\n\nBa {T}')).toEqual([
			'3: warning: Câu hỏi chưa có tên: thêm ::bai-q2:: vào đầu câu để mã câu hỏi không đổi khi sửa bài.',
			'7: warning: Câu hỏi chưa có tên: thêm ::bai-q4:: vào đầu câu để mã câu hỏi không đổi khi sửa bài.'
		]);
	});

	it('a name without letters or digits gets a derived id and a warning', () => {
		const r = parse('::???:: X {T}');
		expect(r.questions[0]).toMatchObject({ name: '???', id: 'bai-q1', idDerived: true });
		expect(r.problems[0]).toMatchObject({ severity: 'warning', line: 1 });
	});

	it('a name used twice (as Moodle banks do) is a warning: the later question gets a numbered id', () => {
		const r = parse('::a:: Một {T}\n\n::a:: Hai {F}\n\n::Câu 1:: Ba {T}\n\n::cau-1:: Bốn {T}\n\n::a:: Năm {T}');
		expect(r.questions.map((q) => q.id)).toEqual(['a', 'a-2', 'cau-1', 'cau-1-2', 'a-3']);
		expect(r.questions.map((q) => q.name)).toEqual(['a', 'a', 'Câu 1', 'cau-1', 'a']);
		expect(r.problems).toEqual([
			{ line: 3, severity: 'warning', message: 'Tên câu hỏi "a" trùng với câu ở dòng 1: câu này lấy mã "a-2". Nên đặt tên riêng (::a-2::) để mã không đổi khi thêm hay bớt câu.' },
			{ line: 7, severity: 'warning', message: 'Mã câu hỏi "cau-1" trùng với câu ở dòng 5: câu này lấy mã "cau-1-2". Nên đặt tên riêng (::cau-1-2::) để mã không đổi khi thêm hay bớt câu.' },
			{ line: 9, severity: 'warning', message: 'Tên câu hỏi "a" trùng với câu ở dòng 1: câu này lấy mã "a-3". Nên đặt tên riêng (::a-3::) để mã không đổi khi thêm hay bớt câu.' }
		]);
		// Stable: the same source gives the same ids.
		expect(parse('::a:: Một {T}\n\n::a:: Hai {F}\n\n::Câu 1:: Ba {T}\n\n::cau-1:: Bốn {T}\n\n::a:: Năm {T}').questions.map((q) => q.id)).toEqual(
			r.questions.map((q) => q.id)
		);
	});

	it('names are shared by the blocks of one lesson', () => {
		const seen = { names: new Map<string, number>(), ids: new Map<string, number>() };
		parseGift('::a:: Một {T}', { idPrefix: 'bai', seen });
		const second = parseGift('::a:: Hai {T}', { idPrefix: 'bai-2', seen, lineOffset: 10 });
		expect(second.questions[0].id).toBe('a-2');
		expect(second.problems[0]).toMatchObject({ line: 11, severity: 'warning' });
	});
});

describe('parseGift: errors, at the right file line', () => {
	it('non-numeric numerical answers', () => {
		expect(errorAt('::a:: Số? {#abc}')).toEqual({
			line: 1,
			message: 'Câu hỏi số (numerical) có đáp án "abc" không phải là số.'
		});
		expect(errorAt('::a:: Số?\n{#\n=3,5\n}').line).toBe(3);
		expect(errorAt('::a:: Số? {#3,5}').message).toContain('Dùng dấu chấm cho phần thập phân: 3.5');
		expect(errorAt('::a:: Số? {#3:abc}').message).toContain('"abc"');
		expect(errorAt('::a:: Phí? {#5.000.000}').message).toContain('Viết số không có dấu chấm ngăn cách hàng nghìn: 5000000.');
	});

	it('numbers too large to compare (infinite) are refused', () => {
		expect(errorAt('::a:: Số? {#1e400}')).toEqual({
			line: 1,
			message: 'Số "1e400" quá lớn để so sánh được: mọi câu trả lời sẽ bị chấm sai hoặc đúng hết. Hãy viết một số bình thường.'
		});
		expect(errorAt('::a:: Số? {#3:1e999}').message).toContain('"1e999" quá lớn');
		expect(errorAt('::a:: Số? {#-1e400..5}').message).toContain('"-1e400" quá lớn');
		expect(errorAt('::a:: Số? {#1..1e309}').message).toContain('"1e309" quá lớn');
	});

	it('a number with a dot then three digits is read as GIFT reads it, with a warning', () => {
		const r = parse('::a:: Một nghìn? {#1.000}');
		expect(r.questions[0]).toMatchObject({ answers: [{ kind: 'exact', value: 1 }] });
		expect(r.problems).toEqual([
			{ line: 1, severity: 'warning', message: 'Trong GIFT, "1.000" là 1 (dấu chấm là dấu thập phân). Nếu ý là 1000, hãy viết 1000; người học vẫn gõ được 1.000.' }
		]);
		expect(parse('::a:: Số? {#0.125}').problems).toEqual([]);
		expect(errorAt('::a:: Số? {#1..x}').message).toContain('"x"');
		expect(errorAt('::a:: Số? {#*}').message).toContain('~#nhận xét');
		expect(errorAt('::a:: Số? {#5..1}').message).toContain('bị ngược');
		expect(errorAt('::a:: Số? {#}').message).toContain('chưa có đáp án');
		expect(errorAt('::a:: Số? {#=%50%3}').message).toContain('100%');
		expect(errorAt('::a:: Số? {#3 ~không có dấu thăng}').message).toContain('~#');
	});

	it('multiple choice without a correct answer', () => {
		const e = errorAt('::a:: Chọn {\n~Một\n~Hai\n}');
		expect(e.line).toBe(1);
		expect(e.message).toContain('chưa có đáp án đúng');
		expect(errorAt('::a:: Chọn {~%-50%Một ~Hai}').message).toContain('chưa có đáp án đúng');
	});

	it('weights outside Moodle’s list', () => {
		const e = errorAt('::a:: Chọn {\n=Một\n~%45%Hai\n}');
		expect(e.line).toBe(3);
		expect(e.message).toContain('Moodle không nhận trọng số 45%');
		expect(e.message).toContain('83.33333');
		expect(errorAt('::a:: X {~%33.3%A ~%66.7%B}').message).toContain('33.3%');
		expect(errorAt('::a:: X {~%150%A ~B}').message).toContain('150%');
		expect(errorAt('::a:: X {~%5,5%A ~B}').message).toContain('phải là số phần trăm');
	});

	it('several answers whose positive weights do not add up to 100%', () => {
		expect(errorAt('::a:: X {~%50%A ~%25%B ~C}').message).toContain('cộng lại được 75%');
	});

	it('a text starting with %word% is not a weight', () => {
		expect(one('::a:: X {=%PATH% là biến ~Khác}')).toMatchObject({
			choices: [{ text: { text: '%PATH% là biến' }, fraction: 1 }, { fraction: 0 }]
		});
	});

	it('=%n% in multiple choice, negative weights where Moodle has none', () => {
		expect(errorAt('::a:: X {=%50%A ~B}').message).toContain('~%50%');
		expect(errorAt('::a:: X {=A =%-50%B}').message).toContain('Trọng số âm');
		expect(errorAt('::a:: X {#=3 =%-50%4}').message).toContain('Trọng số âm');
	});

	it('negative weight beside = is accepted with a warning (it does not take marks away here)', () => {
		const r = parse('::a:: X {=A ~%-50%B}');
		expect(r.questions).toHaveLength(1);
		expect(r.problems).toEqual([{ line: 1, severity: 'warning', message: expect.stringContaining('không trừ điểm') }]);
	});

	it('unclosed and stray braces', () => {
		expect(errorAt('::a:: Câu {\n=A\n~B')).toEqual({
			line: 1,
			message: 'Khối đáp án mở bằng { nhưng chưa đóng bằng }. Muốn viết dấu { trong chữ thì gõ \\{.'
		});
		expect(errorAt('::a:: Câu\n=A }').line).toBe(2);
		expect(errorAt('::a:: Câu } sai {T}').message).toContain('đứng trước');
		expect(errorAt('::a:: Câu {=A {x} ~B}').message).toContain('nằm trong khối đáp án');
		expect(errorAt('::a:: Câu {T}}').message).toContain('thừa');
	});

	it('a { in the question text is named as such, not as a missing blank line', () => {
		expect(errorAt('::a:: Trong mật khẩu {abc} có mấy chữ? {#3}')).toEqual({
			line: 1,
			message: '"{abc}" trong nội dung câu hỏi được hiểu là một khối đáp án, nên câu có hai khối đáp án. Muốn viết dấu { và } trong chữ thì gõ \\{ và \\}.'
		});
		expect(errorAt('::a:: Gõ dấu { để mở ngoặc?\n{T}')).toEqual({
			line: 1,
			message: 'Dấu { trong nội dung câu hỏi được hiểu là chỗ mở khối đáp án. Muốn viết dấu { trong chữ thì gõ \\{ (và \\} cho dấu }).'
		});
		expect(errorAt('::a:: Dòng một\n{tên} ở dòng hai? {=A ~B}')).toMatchObject({ line: 2, message: expect.stringContaining('"{tên}" trong nội dung câu hỏi') });
		// Escaped, it is text.
		expect(parse('::a:: Trong mật khẩu \\{abc\\} có mấy chữ? {#3}').questions[0].stem.text).toBe('Trong mật khẩu {abc} có mấy chữ?');
	});

	it('two questions without a blank line between them', () => {
		expect(errorAt('::a:: Một {T}\n// chú thích\n::b:: Hai {F}')).toEqual({
			line: 3,
			message: 'Mỗi câu hỏi chỉ có một khối đáp án {…}. Nếu đây là câu hỏi mới, thêm một dòng trống phía trên nó.'
		});
	});

	it('empty question text', () => {
		expect(errorAt('::a:: {T}').message).toBe('Câu hỏi chưa có nội dung: viết câu hỏi trước dấu {.');
		expect(errorAt('::a::').message).toBe('Câu hỏi chưa có nội dung.');
		expect(errorAt('::a:: [html]').message).toBe('Câu hỏi chưa có nội dung.');
	});

	it('matching pairs without ->, with feedback, with a weight', () => {
		const e = errorAt('::a:: Ghép {\n=A -> 1\n=B\n=C -> 3\n}');
		expect(e).toEqual({ line: 3, message: 'Cặp ghép đôi "B" thiếu dấu ->. Viết =mục bên trái -> mục bên phải.' });
		expect(errorAt('::a:: Ghép {\n=A -> 1\n=B -> 2 #hay\n=C -> 3\n}')).toMatchObject({ line: 3 });
		expect(errorAt('::a:: Ghép {=A -> 1 =B -> =C -> 3}').message).toContain('Thiếu mục bên phải');
		expect(errorAt('::a:: Ghép {=%50%A -> 1 =B -> 2 =C -> 3}').message).toContain('trọng số');
		expect(errorAt('::a:: Ghép {A -> 1 =B -> 2 =C -> 3}').message).toContain('phải bắt đầu bằng =');
	});

	it('short answers not starting with =, lower-case true/false, empty answers', () => {
		expect(errorAt('::a:: Thủ đô? {Hà Nội}').message).toBe(
			'Đáp án của câu trả lời ngắn phải bắt đầu bằng =, ví dụ {=Hà Nội}. Câu nhiều lựa chọn thì đáp án sai bắt đầu bằng ~.'
		);
		expect(errorAt('::a:: Đúng không? {true}').message).toContain('{TRUE}');
		expect(errorAt('::a:: Đúng không? {t#sai#đúng}').message).toContain('không viết {t}');
		expect(errorAt('::a:: X {=A =}').message).toContain('Đáp án trống');
		expect(errorAt('::a:: X {=%50%A}').message).toContain('100%');
	});

	it('multiple choice with text before the first mark, an empty choice, a single choice', () => {
		expect(errorAt('::a:: X {A ~B =C}').message).toBe(
			'Mỗi lựa chọn phải bắt đầu bằng = (đáp án đúng) hoặc ~ (đáp án sai): "A".'
		);
		expect(errorAt('::a:: X {=A ~ ~B}').message).toContain('Lựa chọn trống');
		expect(errorAt('::a:: X {~=A ~B}').message).toContain('Lựa chọn trống');
		expect(errorAt('::a:: X {~A}').message).toContain('ít nhất 2 lựa chọn');
	});

	it('duplicate choices are a warning', () => {
		const r = parse('::a:: X {=A ~B ~B}');
		expect(r.questions).toHaveLength(1);
		expect(r.problems).toEqual([{ line: 1, severity: 'warning', message: 'Lựa chọn "B" bị lặp lại.' }]);
	});

	it('names: unclosed, empty', () => {
		expect(errorAt('::a Câu hỏi {T}').message).toContain('thiếu :: đóng');
		expect(errorAt(':::::: Câu hỏi {T}').message).toContain('đang trống');
	});

	it('$CATEGORY mistakes', () => {
		expect(errorAt('$CATEGORY: a\n::b:: X {T}')).toEqual({
			line: 2,
			message: 'Thêm một dòng trống giữa dòng $CATEGORY: và câu hỏi bên dưới.'
		});
		expect(errorAt('$CATEGORY:   ').message).toContain('Thiếu tên nhóm');
		expect(errorAt('$category: a').message).toContain('chữ in hoa');
	});

	it('lineOffset turns block lines into file lines', () => {
		const source = '::a:: Đúng {T}\n\n::b:: Số {\n#\n=abc\n}\n\nKhông tên {F}';
		expect(problems(source, 20)).toEqual([
			'25: error: Câu hỏi số (numerical) có đáp án "abc" không phải là số.',
			'28: warning: Câu hỏi chưa có tên: thêm ::bai-q3:: vào đầu câu để mã câu hỏi không đổi khi sửa bài.'
		]);
		const r = parse(source, 20);
		expect(r.questions.map((q) => [q.id, q.line])).toEqual([
			['a', 21],
			['bai-q3', 28]
		]);
	});

	it('a question with errors is left out; the others are kept', () => {
		const r = parse('::a:: X {~A ~B}\n\n::b:: Y {T}');
		expect(r.questions.map((q) => q.id)).toEqual(['b']);
		expect(r.problems.map((p) => p.severity)).toEqual(['error']);
	});
});
