import type { ComponentProps } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { parseGift } from '$lib/server/content/gift/parse';
import { toPublicQuestion } from '$lib/server/content/gift/public';
import type { PublicQuestion } from '$lib/server/content/gift/types';
import { renderGiftText } from '$lib/server/content/gift-html';
import QuizQuestion from './QuizQuestion.svelte';

const SOURCE = `::mot:: Wi-Fi là gì? {=Mạng không dây ~Dây cáp}

::nhieu:: Chọn các ý đúng {~%50%A ~%50%B ~C}

::dung-sai:: OTP có thể đưa cho người lạ. {F}

::ngan:: Ứng dụng nhắn tin phổ biến là {=Zalo} ở Việt Nam.

::so:: Pi bằng bao nhiêu? {#3.14:0.01}

::ghep:: Ghép {=Zalo -> Nhắn tin =VNeID -> Định danh = -> Nấu cơm}

::viet:: Kể lại trải nghiệm. {}

Phần sau nói về Zalo.`;

const views: Record<string, PublicQuestion> = Object.fromEntries(
	parseGift(SOURCE, { idPrefix: 'bai' }).questions.map((q) => {
		const v = toPublicQuestion(q, (t) => `<p>${t.text}</p>`);
		return [v.id, v];
	})
);

function html(props: ComponentProps<typeof QuizQuestion>) {
	return render(QuizQuestion, { props }).body;
}

function count(haystack: string, needle: RegExp): number {
	return haystack.match(needle)?.length ?? 0;
}

describe('QuizQuestion', () => {
	it('single choice: a fieldset, legend with number and stem, one radio per choice in a label', () => {
		const out = html({ question: views.mot, index: 1 });
		expect(out).toMatch(/<fieldset class="quiz-q[^"]*"/);
		expect(out).toMatch(/<legend[^>]*>[\s\S]*Câu 1[\s\S]*<p>Wi-Fi là gì\?<\/p>[\s\S]*<\/legend>/);
		expect(count(out, /type="radio" name="q\.mot"/g)).toBe(2);
		expect(count(out, /<label class="quiz-q__option[^"]*">\s*<input/g)).toBe(2);
		expect(out).not.toContain('checked');
	});

	it('re-checks the previous answer', () => {
		const v = views.mot;
		if (v.type !== 'multichoice') throw new Error(v.type);
		const out = html({ question: v, index: 1, value: v.choices[1].key });
		expect(count(out, /checked/g)).toBe(1);
		expect(out).toMatch(new RegExp(`value="${v.choices[1].key}"[^>]*checked`));
	});

	it('several answers: checkboxes with the same name and a hint', () => {
		const v = views.nhieu;
		if (v.type !== 'multichoice') throw new Error(v.type);
		const out = html({ question: v, index: 2, value: [v.choices[0].key, v.choices[2].key] });
		expect(count(out, /type="checkbox" name="q\.nhieu"/g)).toBe(3);
		expect(count(out, /checked/g)).toBe(2);
		expect(out).toContain('Chọn tất cả các đáp án đúng.');
		expect(out).toContain('aria-describedby="quiz-nhieu-hint"');
	});

	it('true/false as Đúng and Sai', () => {
		const out = html({ question: views['dung-sai'], index: 3, value: 'false' });
		expect(out).toMatch(/value="true"[^>]*>\s*<span class="quiz-q__text[^"]*">Đúng<\/span>/);
		expect(out).toMatch(/value="false"[^>]*checked[^>]*>\s*<span class="quiz-q__text[^"]*">Sai<\/span>/);
	});

	it('short answer: a labelled text field keeping the previous text, and the blank of a missing word', () => {
		const out = html({ question: views.ngan, index: 4, value: 'Zal"o' });
		expect(out).toMatch(/<label class="quiz-q__field[^"]*">[\s\S]*<input[^>]*type="text"[^>]*name="q\.ngan"/);
		expect(out).toContain('value="Zal&quot;o"');
		expect(out).not.toContain('inputmode');
		expect(out).toContain('chỗ trống');
		expect(out).toContain('<p>ở Việt Nam.</p>');
	});

	it('numerical: decimal keyboard', () => {
		const out = html({ question: views.so, index: 5 });
		expect(out).toMatch(/<input[^>]*name="q\.so"[^>]*inputmode="decimal"/);
	});

	it('matching: one labelled select per item, named q.<id>.<item>, with the previous choice selected', () => {
		const v = views.ghep;
		if (v.type !== 'matching') throw new Error(v.type);
		const out = html({ question: v, index: 6, value: { a: v.options[2].key } });
		expect(count(out, /<select class="quiz-q__select[^"]*" name="q\.ghep\.[ab]"/g)).toBe(2);
		expect(count(out, /<option /g)).toBe(2 * 4);
		expect(out).toMatch(new RegExp(`<option value="${v.options[2].key}" selected`));
		expect(out).toContain('Nấu cơm');
	});

	it('essay: a note and no field', () => {
		const out = html({ question: views.viet, index: 7 });
		expect(out).toContain('Câu tự luận: giảng viên sẽ chấm');
		expect(out).not.toMatch(/<input|<textarea|<select/);
	});

	it('description: the text only', () => {
		const out = html({ question: views['bai-q8'], index: 8 });
		expect(out).toContain('<p>Phần sau nói về Zalo.</p>');
		expect(out).not.toContain('<fieldset');
	});

	it('shows the result with an icon and words, and the feedback', () => {
		const out = html({
			question: views.mot,
			index: 1,
			result: { state: 'partial', feedbackHtml: ['<p>Gần đúng</p>'], generalFeedbackHtml: '<p>Chung</p>' }
		});
		expect(out).toMatch(/<span class="quiz-q__icon[^"]*" aria-hidden="true">◐<\/span>\s*Đúng một phần/);
		expect(out).toContain('<p>Gần đúng</p>');
		expect(out).toContain('<p>Chung</p>');
		expect(out).toContain('aria-describedby="quiz-mot-result"');
		expect(html({ question: views.mot, index: 1, result: { state: 'incorrect', feedbackHtml: [] } })).toContain('Chưa đúng');
		expect(html({ question: views.mot, index: 1, result: { state: 'correct', feedbackHtml: [] } })).toMatch(/✓<\/span>\s*Đúng/);
	});
});

describe('QuizQuestion with block text ([markdown] lists and paragraphs)', () => {
	it('puts a stem of several blocks after the legend and describes the group with it', () => {
		const [q] = parseGift('::khoi:: [markdown]Đọc tin nhắn:\\n\\n- Bạn trúng thưởng\\n- Bấm vào liên kết\\n\\nĐây là gì? {=Lừa đảo ~Tin thật}', { idPrefix: 'bai' }).questions;
		const view = toPublicQuestion(q, renderGiftText);
		const out = html({ question: view, index: 1 });
		expect(out).toMatch(/<legend[^>]*>\s*<span class="quiz-q__number[^"]*">Câu 1<\/span>\s*<\/legend>/);
		expect(out).toMatch(/<div class="quiz-q__stem quiz-q__stem--block[^"]*" id="quiz-khoi-stem">[\s\S]*<ul>\s*<li>Bạn trúng thưởng<\/li>/);
		// One-paragraph choices stay inline.
		expect(out).toMatch(/<span class="quiz-q__text[^"]*">(<!--[^>]*-->)?Lừa đảo/);
		expect(out).toContain('aria-describedby="quiz-khoi-stem"');
		expect(out).not.toMatch(/<legend[\s\S]*<ul>[\s\S]*<\/legend>/);
	});
});
