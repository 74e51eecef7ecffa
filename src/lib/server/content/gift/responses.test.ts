import { describe, expect, it } from 'vitest';
import { choiceKeys, leftKey, matchOptions } from './keys';
import { parseGift } from './parse';
import { keepValidResponses, MAX_TEXT_ANSWER } from './responses';
import type { GiftQuestion, MatchingQuestion, MultichoiceQuestion } from './types';

const SOURCE = `
::mot:: Biểu tượng Wi-Fi? {=Hình cái quạt ~Hình tia chớp ~Hình ổ khóa}

::nhieu:: Việc nào an toàn? {~%50%Đặt mật khẩu mạnh ~%50%Cập nhật phần mềm ~%-100%Chia sẻ mật khẩu}

::ds:: Wi-Fi công cộng luôn an toàn. {F}

::ngan:: Ứng dụng định danh? {=VNeID}

::ghep:: Ghép. {=Zalo -> Nhắn tin =VNeID -> Định danh = -> Thanh toán}

::tu-luan:: Kể lại. {}
`;

const parsed = parseGift(SOURCE, { idPrefix: 'bai' });
const questions = parsed.questions;
const byId = (id: string) => questions.find((q) => q.id === id) as GiftQuestion;

describe('keepValidResponses', () => {
	it('reads the questions of this test', () => {
		expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
		expect(questions.map((q) => q.type)).toEqual(['multichoice', 'multichoice', 'truefalse', 'shortanswer', 'matching', 'essay']);
	});

	const mot = byId('mot') as MultichoiceQuestion;
	const nhieu = byId('nhieu') as MultichoiceQuestion;
	const ghep = byId('ghep') as MatchingQuestion;

	it('keeps valid answers as they are', () => {
		const responses = {
			[mot.id]: choiceKeys(mot)[0],
			[nhieu.id]: [choiceKeys(nhieu)[1], choiceKeys(nhieu)[0]],
			[byId('ds').id]: 'false',
			[byId('ngan').id]: 'vneid',
			[ghep.id]: { a: matchOptions(ghep)[1].key, b: matchOptions(ghep)[0].key }
		};
		const kept = keepValidResponses(questions, responses);
		expect(kept[mot.id]).toBe(choiceKeys(mot)[0]);
		expect(kept[nhieu.id]).toEqual([choiceKeys(nhieu)[0], choiceKeys(nhieu)[1]]);
		expect(kept[byId('ds').id]).toBe('false');
		expect(kept[byId('ngan').id]).toBe('vneid');
		expect(kept[ghep.id]).toEqual({ a: matchOptions(ghep)[1].key, b: matchOptions(ghep)[0].key });
	});

	it('drops keys the question does not offer, however many are sent', () => {
		const junk = Array.from({ length: 900 }, (_, i) => `x${i}`.padEnd(500, 'y'));
		const kept = keepValidResponses(questions, {
			[mot.id]: 'kkhongco',
			[nhieu.id]: [...junk, choiceKeys(nhieu)[2], choiceKeys(nhieu)[2]],
			[byId('ds').id]: 'có lẽ',
			[ghep.id]: { a: 'kkhongco', b: matchOptions(ghep)[0].key, z: matchOptions(ghep)[0].key, [leftKey(5)]: 'x' }
		});
		expect(kept[mot.id]).toBeUndefined();
		expect(kept[nhieu.id]).toEqual([choiceKeys(nhieu)[2]]);
		expect(kept[byId('ds').id]).toBeUndefined();
		expect(kept[ghep.id]).toEqual({ b: matchOptions(ghep)[0].key });
		expect(JSON.stringify(kept).length).toBeLessThan(200);
	});

	it('cuts typed text, ignores blank text, essays and questions not in the quiz', () => {
		const kept = keepValidResponses(questions, {
			[byId('ngan').id]: 'a'.repeat(5000),
			[byId('tu-luan').id]: 'một bài văn',
			'khong-co': 'x',
			__proto__: 'x'
		} as Record<string, string>);
		expect((kept[byId('ngan').id] as string).length).toBe(MAX_TEXT_ANSWER);
		expect(Object.keys(kept)).toEqual([byId('ngan').id]);
		expect(keepValidResponses(questions, { [byId('ngan').id]: '   ' })).toEqual({});
		expect(keepValidResponses(questions, { [byId('ngan').id]: ['a', 'b'] })).toEqual({});
	});
});
