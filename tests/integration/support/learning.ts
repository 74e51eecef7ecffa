import type { Kysely } from 'kysely';
import { loadContent } from '../../../src/lib/server/content/loader';
import { syncContent } from '../../../src/lib/server/content/sync';
import type { PublishedContent } from '../../../src/lib/server/content';
import { choiceKeys, leftKey, matchOptions } from '../../../src/lib/server/content/gift/keys';
import type { GiftQuestion, QuizResponse } from '../../../src/lib/server/content/gift/types';
import type { Database } from '../../../src/lib/server/db/schema';
import type { DbHandle } from '../../../src/lib/server/db/connect';
import { createTestDatabase } from './test-db';

/** The small fixture courses (not the real ones), published in the given database. */
export async function publishFixtureContent(db: Kysely<Database>): Promise<PublishedContent> {
	const content = loadContent('tests/fixtures/content');
	const errors = content.problems.filter((p) => p.severity === 'error');
	if (errors.length) throw new Error(JSON.stringify(errors));
	return { ...content, ids: await syncContent(db, content) };
}

export async function createLearner(db: Kysely<Database>, opts: { name?: string; unitId?: number | null; audience?: 'citizen' | 'civil_servant' | 'team_member' } = {}) {
	const { id } = await db
		.insertInto('app_user')
		.values({ kind: 'learner', full_name: opts.name ?? 'Nguyễn Văn An', audience: opts.audience ?? 'citizen', unit_id: opts.unitId ?? null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export async function createGuest(db: Kysely<Database>) {
	const { id } = await db.insertInto('app_user').values({ kind: 'guest' }).returning('id').executeTakeFirstOrThrow();
	return id;
}

export async function createUnit(db: Kysely<Database>, name = 'Vân Canh') {
	const { id } = await db
		.insertInto('unit')
		.values({ code: String(Math.floor(Math.random() * 1e6)), name, level: 'commune', type: 'xã', search_key: ' xa van canh' })
		.returning('id')
		.executeTakeFirstOrThrow();
	// A unit counts under itself (unit_scope), as every unit loaded by the import does.
	await db.insertInto('unit_scope').values({ ancestor_id: id, unit_id: id, depth: 0, partial: false }).execute();
	return id;
}

let keyCounter = 0;
/** A fresh submission key, as the quiz form would carry. */
export function newKey(): string {
	return `key${process.pid}x${Date.now().toString(36)}x${(keyCounter++).toString().padStart(8, '0')}`;
}

export function findQuestions(content: PublishedContent, course: string, lesson: string): Map<string, GiftQuestion> {
	const l = content.courses.find((c) => c.slug === course)!.lessons.find((x) => x.slug === lesson)!;
	return new Map(l.questions.map((q) => [q.id, q]));
}

/**
 * A response written as a person would answer: choice texts for multiple choice, 'true'/'false', typed text,
 * and for matching a list of right-hand texts in the order of the left items.
 */
export function answer(q: GiftQuestion, value: string | string[]): QuizResponse {
	switch (q.type) {
		case 'multichoice': {
			const keys = choiceKeys(q);
			const keyOf = (text: string) => {
				const i = q.choices.findIndex((c) => c.text.text === text);
				if (i < 0) throw new Error(`No choice "${text}" in ${q.id}`);
				return keys[i];
			};
			return q.single ? keyOf(value as string) : (value as string[]).map(keyOf);
		}
		case 'matching': {
			const opts = matchOptions(q);
			const out: Record<string, string> = {};
			(value as string[]).forEach((text, i) => {
				out[leftKey(i)] = opts.find((o) => o.text === text)!.key;
			});
			return out;
		}
		default:
			return value as string;
	}
}

/** The fixture lesson whose quiz has one question of every type. */
export const QUIZ_COURSE = 'khoa-kiem-thu';
export const QUIZ_LESSON = 'moi-loai-cau-hoi';

/** Every question of that quiz answered right (the essay with some text). */
export const QUIZ_ALL_RIGHT: Record<string, string | string[]> = {
	't-mot': 'Hình cái quạt',
	't-nhieu': ['Đặt mật khẩu dài', 'Không cho người lạ mật khẩu'],
	't-dung-sai': 'false',
	't-ngan': 'vneid',
	't-ghep': ['Nhắn tin', 'Định danh điện tử', 'Tìm đường'],
	't-so': '12,5',
	't-khoang': '3',
	't-dien-tu': 'chậm lại',
	't-tu-luan': 'Tôi đã dùng ở quán cà phê.'
};

export interface FixtureQuiz {
	h: DbHandle;
	content: PublishedContent;
	respond: (answers: Record<string, string | string[]>) => Record<string, QuizResponse>;
}

/**
 * A fresh test database with the fixture courses published, and `respond`, which turns answers to that quiz
 * (written as for `answer`, by question id) into the responses the quiz form sends. Close `h` afterwards.
 */
export async function openFixtureQuiz(): Promise<FixtureQuiz> {
	const h = await createTestDatabase();
	const content = await publishFixtureContent(h.db);
	const questions = findQuestions(content, QUIZ_COURSE, QUIZ_LESSON);
	const respond = (answers: Record<string, string | string[]>) => Object.fromEntries(Object.entries(answers).map(([id, v]) => [id, answer(questions.get(id)!, v)]));
	return { h, content, respond };
}
