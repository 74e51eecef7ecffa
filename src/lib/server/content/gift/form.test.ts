import { describe, expect, it } from 'vitest';
import { fieldName, readQuizResponses } from './form';
import { gradeQuiz } from './grade';
import { parseGift } from './parse';
import { toPublicQuestion } from './public';
import type { GiftQuestion, PublicQuestion } from './types';

const SOURCE = `::mot:: Một đáp án {=A ~B ~C}

::nhieu:: Nhiều đáp án {~%50%A ~%50%B ~C}

::dung-sai:: Đúng hay sai {T}

::ngan:: Trả lời ngắn {=Zalo}

::so:: Số {#3.5}

::ghep:: Ghép {=Zalo -> Nhắn tin =VNeID -> Định danh =Maps -> Tìm đường}

::viet:: Tự luận {}

Giới thiệu.`;

const questions: GiftQuestion[] = parseGift(SOURCE, { idPrefix: 'bai' }).questions;
const views: PublicQuestion[] = questions.map((q) => toPublicQuestion(q, (t) => t.text));
const view = <T extends PublicQuestion['type']>(id: string, type: T) => {
	const v = views.find((x) => x.id === id);
	if (!v || v.type !== type) throw new Error(id);
	return v as Extract<PublicQuestion, { type: T }>;
};

function form(entries: [string, string][]): FormData {
	const fd = new FormData();
	for (const [k, v] of entries) fd.append(k, v);
	return fd;
}

describe('readQuizResponses', () => {
	const one = view('mot', 'multichoice').choices;
	const many = view('nhieu', 'multichoice').choices;
	const match = view('ghep', 'matching');
	const data = form([
		['q.mot', one[0].key],
		['q.nhieu', many[0].key],
		['q.nhieu', many[1].key],
		['q.nhieu', many[1].key],
		['q.dung-sai', 'true'],
		['q.ngan', ' zalo '],
		['q.so', '3,5'],
		['q.ghep.a', match.options[0].key],
		['q.ghep.c', match.options[1].key],
		['q.ghep.b', ''],
		['q.viet', 'bài viết'],
		['q.khac', 'x']
	]);
	const expected = {
		mot: one[0].key,
		nhieu: [many[0].key, many[1].key],
		'dung-sai': 'true',
		ngan: ' zalo ',
		so: '3,5',
		ghep: { a: match.options[0].key, c: match.options[1].key }
	};

	it('reads one value, repeated values (once each) and one field per matching item', () => {
		expect(readQuizResponses(data, views)).toEqual(expected);
	});

	it('reads the same with the full questions', () => {
		expect(readQuizResponses(data, questions)).toEqual(expected);
	});

	it('leaves out empty fields, invalid true/false values, essays and unknown questions', () => {
		const r = readQuizResponses(
			form([
				['q.mot', ''],
				['q.dung-sai', 'có'],
				['q.ngan', '   '],
				['q.ghep.a', ''],
				['q.viet', 'bài'],
				['q.nhieu', '']
			]),
			views
		);
		expect(r).toEqual({});
	});

	it('ignores files and cuts very long text', () => {
		const fd = form([['q.ngan', 'x'.repeat(5000)]]);
		fd.append('q.mot', new Blob(['tệp']), 'a.txt');
		const r = readQuizResponses(fd, views);
		expect(r.ngan).toHaveLength(500);
		expect(r).not.toHaveProperty('mot');
	});

	it('field names', () => {
		expect(fieldName('wifi-1')).toBe('q.wifi-1');
		expect(fieldName('ghep', 'a')).toBe('q.ghep.a');
	});

	it('a form filled with the right answers scores 100', () => {
		const byText = (choices: { key: string; html: string }[], text: string) => choices.find((c) => c.html === text)!.key;
		const option = (text: string) => match.options.find((o) => o.text === text)!.key;
		const responses = readQuizResponses(
			form([
				['q.mot', byText(one, 'A')],
				['q.nhieu', byText(many, 'A')],
				['q.nhieu', byText(many, 'B')],
				['q.dung-sai', 'true'],
				['q.ngan', 'ZALO'],
				['q.so', '3,5'],
				['q.ghep.a', option('Nhắn tin')],
				['q.ghep.b', option('Định danh')],
				['q.ghep.c', option('Tìm đường')]
			]),
			views
		);
		const grade = gradeQuiz(questions, responses);
		expect(grade.score).toBe(100);
		expect(grade.gradable).toBe(6);
		expect(grade.results.viet.state).toBe('manual');
	});
});
