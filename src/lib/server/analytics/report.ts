import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { GiftQuestion } from '../content/gift/types';
import { addDays, nextMonth, todayInVietnam } from '../stats/period';
import { answerText, isTypedAnswer, plain } from './answers';
import { bucketLabel, medianBucket } from './buckets';
import { pointBiserial } from './discrimination';

// The trainers' analytics of one course, read from the running counts (see counters.ts): a few grouped
// reads, whatever the number of learners. Figures are of learners whose unit, when they first opened the
// lesson, lies under the chosen unit, and who first opened it in the chosen months.

/** A lesson opened and not read for this many days counts as abandoned. */
export const ABANDON_DAYS = 14;
/** Shares, times and discrimination over fewer learners than this are not shown (too few to mean anything). */
export const MIN_LEARNERS = 5;
/** A typed wrong answer is named only when at least this many learners typed it (it could name a person). */
export const MIN_TYPED_ANSWER = 3;

export interface AnalyticsTable {
	id: 'pheu' | 'cau-hoi';
	title: string;
	columns: string[];
	rows: (string | number)[][];
	headColumn?: number;
}

export interface LessonFigures {
	lessonId: number;
	slug: string;
	title: string;
	hasQuiz: boolean;
	started: number;
	read: number;
	passed: number;
	abandoned: number;
	timed: number;
	median: string;
}

export interface QuestionFigures {
	lessonTitle: string;
	key: string;
	text: string;
	answered: number;
	correctShare: number | null;
	discrimination: number | null;
	wrong: { text: string; learners: number }[];
}

export interface CourseAnalytics {
	course: { id: number; slug: string; title: string };
	lessons: LessonFigures[];
	questions: QuestionFigures[];
	tables: AnalyticsTable[];
}

/** 'YYYY-MM' months, inclusive. */
export interface MonthRange {
	from: string;
	to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(s: string): boolean {
	return MONTH.test(s);
}

/** The default period: the last twelve months, this one included (in Vietnam). */
export function defaultMonths(now = new Date()): MonthRange {
	const to = todayInVietnam(now).slice(0, 7);
	let [y, m] = to.split('-').map(Number);
	m -= 11;
	if (m < 1) {
		m += 12;
		y -= 1;
	}
	return { from: `${y}-${String(m).padStart(2, '0')}`, to };
}

/** Reads ?tu=YYYY-MM&den=YYYY-MM; a bad value gives a message and the default in its place. */
export function readMonths(url: URL, now = new Date()): { months: MonthRange; typed: { from: string; to: string }; message: string | null } {
	const d = defaultMonths(now);
	const from = url.searchParams.get('tu') ?? d.from;
	const to = url.searchParams.get('den') ?? d.to;
	const typed = { from, to };
	if (!isMonth(from) || !isMonth(to)) return { months: d, typed, message: 'Tháng phải viết dạng năm-tháng, ví dụ 2026-01. Đang hiện 12 tháng gần nhất.' };
	if (from > to) return { months: d, typed, message: 'Tháng bắt đầu phải trước hoặc bằng tháng kết thúc. Đang hiện 12 tháng gần nhất.' };
	return { months: { from, to }, typed, message: null };
}

/** "01/2026 – 12/2026". */
export function monthsLabel(m: MonthRange): string {
	const f = (s: string) => `${s.slice(5, 7)}/${s.slice(0, 4)}`;
	return m.from === m.to ? f(m.from) : `${f(m.from)} – ${f(m.to)}`;
}

function percent(x: number): string {
	return `${(Math.round(x * 1000) / 10).toLocaleString('vi-VN')} %`;
}

function decimal(x: number): string {
	return (Math.round(x * 100) / 100).toLocaleString('vi-VN', { minimumFractionDigits: 2 });
}

/** Course analytics for a unit's scope (null: every learner, with or without a unit) and a month range. */
export async function buildCourseAnalytics(
	db: Kysely<Database>,
	courseSlug: string,
	unitId: number | null,
	months: MonthRange,
	now = new Date()
): Promise<CourseAnalytics | undefined> {
	const course = await db
		.selectFrom('course')
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.select(['course.id', 'course.slug', 'course_version.title'])
		.where('course.slug', '=', courseSlug)
		.where('course.retired_at', 'is', null)
		.executeTakeFirst();
	if (!course) return undefined;
	const lessons = await db
		.selectFrom('lesson')
		.innerJoin('lesson_version', 'lesson_version.id', 'lesson.current_version_id')
		.select(['lesson.id', 'lesson.slug', 'lesson_version.title', 'lesson_version.question_keys'])
		.where('lesson.course_id', '=', course.id)
		.where('lesson.retired_at', 'is', null)
		.orderBy('lesson.position')
		.execute();

	const firstDay = `${months.from}-01`;
	const endDay = nextMonth(`${months.to}-01`); // exclusive
	const lastIdleDay = addDays(todayInVietnam(now), -ABANDON_DAYS);
	const inUnit = unitId === null ? sql`true` : sql`unit_id in (select unit_id from unit_scope where ancestor_id = ${unitId})`;

	const funnel = await sql<{ lesson_id: number; started: number; read: number; passed: number; abandoned: number }>`
		select lesson_id, sum(started)::int as started, sum(read)::int as read, sum(passed)::int as passed,
			coalesce(sum(started - read) filter (where day <= ${lastIdleDay}::date), 0)::int as abandoned
		from analytics_lesson_day
		where course_id = ${course.id} and day >= ${firstDay}::date and day < ${endDay}::date and ${inUnit}
		group by lesson_id`.execute(db);
	const times = await sql<{ lesson_id: number; bucket: number; learners: number }>`
		select lesson_id, bucket, sum(learners)::int as learners
		from analytics_lesson_time
		where course_id = ${course.id} and month >= ${firstDay}::date and month < ${endDay}::date and ${inUnit}
		group by lesson_id, bucket`.execute(db);
	const sums = await sql<{ question_version_id: number; answered: number; correct: number; sum_score: number; sum_score_sq: number; sum_score_correct: number }>`
		select question_version_id, sum(answered)::int as answered, sum(correct)::int as correct, sum(sum_score)::float8 as sum_score,
			sum(sum_score_sq)::float8 as sum_score_sq, sum(sum_score_correct)::float8 as sum_score_correct
		from analytics_question
		where course_id = ${course.id} and month >= ${firstDay}::date and month < ${endDay}::date and ${inUnit}
		group by question_version_id`.execute(db);
	const wrong = await sql<{ question_version_id: number; answer: string; learners: number }>`
		select question_version_id, answer, sum(learners)::int as learners
		from analytics_answer
		where course_id = ${course.id} and month >= ${firstDay}::date and month < ${endDay}::date and ${inUnit}
		group by question_version_id, answer
		order by question_version_id, learners desc, answer`.execute(db);
	const questionRows = await db
		.selectFrom('question')
		.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
		.select(['question.lesson_id', 'question.key', 'question_version.id as version_id', 'question_version.data'])
		.where('question.course_id', '=', course.id)
		.where('question.retired_at', 'is', null)
		.execute();

	const funnelOf = new Map(funnel.rows.map((r) => [r.lesson_id, r]));
	const histOf = new Map<number, Map<number, number>>();
	for (const t of times.rows) {
		const h = histOf.get(t.lesson_id) ?? new Map<number, number>();
		h.set(Number(t.bucket), t.learners);
		histOf.set(t.lesson_id, h);
	}
	const lessonFigures: LessonFigures[] = lessons.map((l) => {
		const f = funnelOf.get(l.id);
		const hist = histOf.get(l.id) ?? new Map<number, number>();
		const timed = [...hist.values()].reduce((a, b) => a + b, 0);
		const median = medianBucket(hist);
		return {
			lessonId: l.id,
			slug: l.slug,
			title: l.title,
			hasQuiz: (l.question_keys as string[]).length > 0,
			started: f?.started ?? 0,
			read: f?.read ?? 0,
			passed: f?.passed ?? 0,
			abandoned: f?.abandoned ?? 0,
			timed,
			median: timed === 0 ? 'chưa có' : timed < MIN_LEARNERS || median === null ? `dưới ${MIN_LEARNERS} người` : bucketLabel(median)
		};
	});

	const sumsOf = new Map(sums.rows.map((r) => [r.question_version_id, r]));
	const wrongOf = new Map<number, { answer: string; learners: number }[]>();
	for (const w of wrong.rows) {
		const list = wrongOf.get(w.question_version_id) ?? [];
		list.push(w);
		wrongOf.set(w.question_version_id, list);
	}
	const byKey = new Map(questionRows.map((q) => [`${q.lesson_id}/${q.key}`, q]));
	const questions: QuestionFigures[] = [];
	for (const l of lessons) {
		for (const key of l.question_keys as string[]) {
			const q = byKey.get(`${l.id}/${key}`);
			if (!q) continue;
			const data = q.data as GiftQuestion;
			if (data.type === 'description' || data.type === 'essay') continue;
			const s = sumsOf.get(q.version_id);
			const n = s?.answered ?? 0;
			const enough = n >= MIN_LEARNERS;
			questions.push({
				lessonTitle: l.title,
				key,
				text: plain(data.stem.text + (data.stemAfter ? ` … ${data.stemAfter.text}` : '')),
				answered: n,
				correctShare: enough && s ? s.correct / n : null,
				discrimination: enough && s ? pointBiserial({ n, n1: s.correct, sum: s.sum_score, sumSq: s.sum_score_sq, sum1: s.sum_score_correct }) : null,
				wrong: enough
					? (wrongOf.get(q.version_id) ?? [])
							.filter((w) => !isTypedAnswer(w.answer) || w.learners >= MIN_TYPED_ANSWER)
							.slice(0, 3)
							.map((w) => ({ text: answerText(data, w.answer), learners: w.learners }))
					: []
			});
		}
	}

	const few = (n: number) => (n === 0 ? 'chưa có' : `dưới ${MIN_LEARNERS} người`);
	const tables: AnalyticsTable[] = [
		{
			id: 'pheu',
			title: 'Theo bài: bắt đầu, đọc xong, đạt, bỏ dở',
			columns: ['Bài', 'Bắt đầu', 'Đọc xong', 'Đạt bài kiểm tra', 'Bỏ dở', 'Thời gian học (trung vị)', 'Số người đo thời gian'],
			rows: lessonFigures.map((l) => [l.title, l.started, l.read, l.hasQuiz ? l.passed : 'không có bài kiểm tra', l.abandoned, l.median, l.timed])
		},
		{
			id: 'cau-hoi',
			title: 'Theo câu hỏi (lần làm đầu tiên)',
			columns: ['Bài', 'Câu hỏi', 'Số người làm', 'Tỉ lệ trả lời đúng', 'Độ phân biệt', 'Câu trả lời sai chọn nhiều nhất'],
			headColumn: 1,
			rows: questions.map((q) => [
				q.lessonTitle,
				q.text,
				q.answered,
				q.answered < MIN_LEARNERS ? few(q.answered) : percent(q.correctShare!),
				q.answered < MIN_LEARNERS ? few(q.answered) : q.discrimination === null ? 'không tính được' : decimal(q.discrimination),
				q.answered < MIN_LEARNERS ? few(q.answered) : q.wrong.map((w) => `${w.text} (${w.learners})`).join('; ') || 'không có'
			])
		}
	];
	return { course: { id: course.id, slug: course.slug, title: course.title }, lessons: lessonFigures, questions, tables };
}

/** Courses published now, in catalog order, for the list page. */
export async function listAnalyticsCourses(db: Kysely<Database>) {
	return db
		.selectFrom('course')
		.innerJoin('course_version', 'course_version.id', 'course.current_version_id')
		.select(['course.slug', 'course.code', 'course_version.title'])
		.where('course.retired_at', 'is', null)
		.orderBy('course.position')
		.orderBy('course.slug')
		.execute();
}
