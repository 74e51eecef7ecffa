import { describe, expect, it } from 'vitest';
import { ALL_TYPES } from './fixtures';
import { choiceKeys, leftKey } from './keys';
import { parseGift } from './parse';
import { toPublicQuestion } from './public';
import type { GiftQuestion, GiftText, PublicQuestion } from './types';

const render = (t: GiftText) => `<span data-format="${t.format}">${t.text.replace(/</g, '&lt;')}</span>`;

function parse(source: string): GiftQuestion[] {
	const r = parseGift(source, { idPrefix: 'bai' });
	expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
	return r.questions;
}

/** Secrets of a question: what the browser must never receive. */
function secrets(q: GiftQuestion): string[] {
	const out: string[] = [];
	const fb = (t?: GiftText) => t && out.push(t.text);
	fb(q.generalFeedback);
	switch (q.type) {
		case 'multichoice':
			q.choices.forEach((c) => fb(c.feedback));
			break;
		case 'truefalse':
			fb(q.feedbackWrong);
			fb(q.feedbackRight);
			break;
		case 'shortanswer':
			q.answers.forEach((a) => {
				out.push(a.text);
				fb(a.feedback);
			});
			break;
		case 'numerical':
			fb(q.otherFeedback);
			q.answers.forEach((a) => {
				if (a.kind === 'range') out.push(`${a.min}..${a.max}`);
				else out.push(String(a.value));
				fb(a.feedback);
			});
			break;
		default:
			break;
	}
	return out;
}

describe('toPublicQuestion', () => {
	const questions = parse(`${ALL_TYPES}

::bi-mat:: Mã OTP gửi qua tin nhắn có nên đọc cho người gọi điện tự xưng là ngân hàng không? {
  =Không bao giờ #BIMAT-PHAN-HOI-1
  ~Có, nếu họ nói đúng tên mình #BIMAT-PHAN-HOI-2
  ####BIMAT-CHUNG
}

::bi-mat-2:: Ngân hàng không bao giờ hỏi mã OTP. {TRUE#BIMAT-SAI#BIMAT-DUNG}

::bi-mat-3:: Tổng đài hỗ trợ phòng chống lừa đảo là số mấy? {=BIMAT-DAPAN-5656 #BIMAT-PHAN-HOI-3}

::bi-mat-4:: Số ngày? {#
  =987654:1 #BIMAT-PHAN-HOI-4
  =%50%123456 #BIMAT-PHAN-HOI-5
  ~#BIMAT-PHAN-HOI-6
}`);
	const views = questions.map((q) => toPublicQuestion(q, render));

	it('covers every question type', () => {
		expect(new Set(views.map((v) => v.type))).toEqual(
			new Set(['multichoice', 'truefalse', 'shortanswer', 'numerical', 'matching', 'essay', 'description'])
		);
	});

	it('the JSON of every public question holds no credit, correct answer or feedback', () => {
		questions.forEach((q, i) => {
			const json = JSON.stringify(views[i]);
			// A number asked about may also appear in the question text itself ("100 Mbps"): that is not a leak.
			const shown = `${q.stem.text} ${q.stemAfter?.text ?? ''}`;
			for (const secret of secrets(q)) {
				if (!shown.includes(secret)) expect(json, `${q.id}: ${secret}`).not.toContain(secret);
			}
			expect(json).not.toMatch(/fraction|feedback|"answer|correct|"right"|"single"|tolerance|distractor|"pairs"/i);
			expect(json).not.toContain('BIMAT-');
		});
	});

	it('has only the expected fields', () => {
		const fields = new Set(views.flatMap((v) => Object.keys(v)));
		expect([...fields].sort()).toEqual(
			['choices', 'id', 'items', 'multiple', 'options', 'stemAfterHtml', 'stemHtml', 'type'].sort()
		);
		for (const v of views) {
			if (v.type === 'multichoice') for (const c of v.choices) expect(Object.keys(c).sort()).toEqual(['html', 'key']);
			if (v.type === 'matching') for (const o of v.options) expect(Object.keys(o).sort()).toEqual(['key', 'text']);
		}
	});

	it('renders the stem, the text after a blank and the choices with renderText', () => {
		const v = views.find((x) => x.id === 'du-lieu-2')!;
		expect(v.stemHtml).toBe('<span data-format="moodle">Khi hết dung lượng tốc độ cao, mạng sẽ bị</span>');
		expect(v.stemAfterHtml).toBe('<span data-format="moodle">cho đến hết chu kỳ.</span>');
		const html = views.find((x) => x.id === 'du-lieu-1')!;
		if (html.type !== 'multichoice') throw new Error(html.type);
		expect(html.choices.map((c) => c.html).sort()).toEqual(
			[
				'<span data-format="plain">4G hoặc 5G</span>',
				'<span data-format="markdown">**H+** (cũ)</span>',
				'<span data-format="html">Biểu tượng {quạt} ~ = # \\ gạch</span>'
			].sort()
		);
	});

	it('multiple is true only for several-answer questions', () => {
		const byId = Object.fromEntries(views.map((v) => [v.id, v]));
		expect(byId['wifi-1']).toMatchObject({ type: 'multichoice', multiple: false });
		expect(byId['wifi-2']).toMatchObject({ type: 'multichoice', multiple: true });
	});

	it('choice keys are the grader’s keys, opaque and in a stable order', () => {
		const q = questions.find((x) => x.id === 'wifi-1')!;
		if (q.type !== 'multichoice') throw new Error(q.type);
		const v = toPublicQuestion(q, render) as Extract<PublicQuestion, { type: 'multichoice' }>;
		expect(new Set(v.choices.map((c) => c.key))).toEqual(new Set(choiceKeys(q)));
		for (const c of v.choices) expect(c.key).toMatch(/^k[0-9a-z]{7}$/);
		expect(toPublicQuestion(q, render)).toEqual(v);
	});

	it('the order and keys do not depend on where the right answer was written', () => {
		const [first] = parse('::thu-tu:: Chọn {=Đúng ~Sai một ~Sai hai ~Sai ba}');
		const [last] = parse('::thu-tu:: Chọn {~Sai ba ~Sai hai ~Sai một =Đúng}');
		expect(toPublicQuestion(first, render)).toEqual(toPublicQuestion(last, render));
	});

	it('the order depends on the question id (a shuffle seeded by it)', () => {
		const texts = (id: string) => {
			const [q] = parse(`::${id}:: Chọn {=A ~B ~C ~D ~E ~F ~G ~H}`);
			const v = toPublicQuestion(q, render) as Extract<PublicQuestion, { type: 'multichoice' }>;
			return v.choices.map((c) => c.html).join();
		};
		const orders = new Set(['q-1', 'q-2', 'q-3', 'q-4', 'q-5'].map(texts));
		expect(orders.size).toBeGreaterThan(1);
	});

	it('matching: items in source order, options with keys unrelated to the items, distractors included', () => {
		const v = views.find((x) => x.id === 'wifi-5')!;
		if (v.type !== 'matching') throw new Error(v.type);
		expect(v.items.map((i) => i.key)).toEqual([leftKey(0), leftKey(1), leftKey(2)]);
		expect(v.items.map((i) => i.html)).toEqual([
			'<span data-format="moodle">Zalo</span>',
			'<span data-format="moodle">VNeID</span>',
			'<span data-format="moodle">Google Maps</span>'
		]);
		expect(v.options.map((o) => o.text).sort()).toEqual(
			['Nhắn tin, gọi điện', 'Định danh điện tử', 'Tìm đường', 'Nấu cơm'].sort()
		);
		const itemKeys = new Set(v.items.map((i) => i.key));
		for (const o of v.options) expect(itemKeys.has(o.key)).toBe(false);
	});

	it('matching options do not follow the order of the pairs', () => {
		const [a] = parse('::ghep:: G {=A -> 1 =B -> 2 =C -> 3}');
		const [b] = parse('::ghep:: G {=C -> 3 =A -> 1 =B -> 2}');
		const optionsOf = (q: GiftQuestion) => (toPublicQuestion(q, render) as Extract<PublicQuestion, { type: 'matching' }>).options;
		expect(optionsOf(a)).toEqual(optionsOf(b));
	});
});
