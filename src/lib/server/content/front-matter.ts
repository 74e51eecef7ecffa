import fm from 'front-matter';
import type { ContentProblem } from './problems';
import { isKnownCompetence, QD757_GROUPS } from './competences';

export type Audience = 'citizen' | 'civil_servant' | 'team_member';
export const AUDIENCES: Audience[] = ['citizen', 'civil_servant', 'team_member'];
import { COMPLETION_RULES, type CompletionRule } from '../learning/completion';

export type { CompletionRule };
const LEVELS = ['basic', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

export interface Source {
	title: string;
	url?: string;
}

export interface CourseMeta {
	code: string;
	title: string;
	summary: string;
	audience: Audience[];
	level: Level;
	minutes: number;
	competences: string[];
	/** Learner groups of Decision 757/QĐ-BKHCN's basic digital skills framework. */
	qd757: string[];
	completion: CompletionRule;
	passMark: number;
	sources: Source[];
}

export interface LessonMeta {
	title: string;
	minutes: number;
	passMark?: number;
	sources: Source[];
}

export interface ParsedFile<T> {
	meta: T | null;
	body: string;
	/** 1-based file line of the first body line. */
	bodyLine: number;
}

type Report = (line: number, message: string, severity?: 'error' | 'warning') => void;

/** Splits front matter from body; reports YAML mistakes at their file line. */
function split(text: string, report: Report): { attrs: Record<string, unknown>; raw: string; body: string; bodyLine: number } | null {
	if (!/^---\r?\n/.test(text)) {
		report(1, 'Thiếu phần đầu (front matter): tệp phải bắt đầu bằng dòng `---`.');
		return null;
	}
	try {
		const parsed = fm<Record<string, unknown>>(text);
		const attrs = parsed.attributes && typeof parsed.attributes === 'object' ? parsed.attributes : {};
		return { attrs, raw: parsed.frontmatter ?? '', body: parsed.body, bodyLine: parsed.bodyBegin };
	} catch (e) {
		const mark = (e as { mark?: { line?: number } }).mark;
		const reason = (e as { reason?: string }).reason ?? (e as Error).message;
		report((mark?.line ?? 0) + 2, `Phần đầu (YAML) sai cú pháp: ${reason}.`);
		return null;
	}
}

function keyLine(raw: string, key: string): number {
	const lines = raw.split('\n');
	const i = lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
	return i < 0 ? 1 : i + 2;
}

function readSources(value: unknown, line: number, report: Report): Source[] {
	if (value === undefined) return [];
	if (!Array.isArray(value)) {
		report(line, '`sources` phải là một danh sách, mỗi mục có `title` và `url`.');
		return [];
	}
	const out: Source[] = [];
	for (const s of value) {
		if (typeof s === 'string' && s.trim()) out.push({ title: s.trim() });
		else if (s && typeof s === 'object' && typeof (s as Source).title === 'string') {
			const url = (s as Source).url;
			if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\//.test(url))) {
				report(line, `Nguồn "${(s as Source).title}" có url không hợp lệ (phải bắt đầu bằng http:// hoặc https://).`);
			}
			out.push({ title: (s as Source).title, url: typeof url === 'string' ? url : undefined });
		} else report(line, 'Mỗi nguồn trong `sources` cần có `title` (và nên có `url`).');
	}
	return out;
}

function requireString(attrs: Record<string, unknown>, key: string, raw: string, report: Report): string {
	const v = attrs[key];
	if (typeof v !== 'string' || !v.trim()) {
		report(keyLine(raw, key), `Thiếu \`${key}\` (một dòng chữ) trong phần đầu.`);
		return '';
	}
	return v.trim();
}

function readPercent(v: unknown, key: string, line: number, report: Report): number | undefined {
	if (v === undefined) return undefined;
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100) {
		report(line, `\`${key}\` phải là số nguyên từ 1 đến 100 (phần trăm điểm cần đạt).`);
		return undefined;
	}
	return v;
}

const KNOWN_COURSE_KEYS = ['code', 'title', 'summary', 'audience', 'level', 'minutes', 'competences', 'qd757', 'completion', 'pass_mark', 'sources'];
const KNOWN_LESSON_KEYS = ['title', 'minutes', 'pass_mark', 'sources'];

function warnUnknownKeys(attrs: Record<string, unknown>, known: string[], raw: string, report: Report) {
	for (const k of Object.keys(attrs)) {
		if (!known.includes(k)) report(keyLine(raw, k), `Khóa \`${k}\` không được dùng (các khóa hợp lệ: ${known.join(', ')}).`, 'warning');
	}
}

export function parseCourseFile(text: string, file: string, problems: ContentProblem[]): ParsedFile<CourseMeta> {
	const report: Report = (line, message, severity = 'error') => problems.push({ file, line, severity, message });
	const before = problems.length;
	const s = split(text, report);
	if (!s) return { meta: null, body: '', bodyLine: 1 };
	const { attrs, raw } = s;
	warnUnknownKeys(attrs, KNOWN_COURSE_KEYS, raw, report);
	const code = requireString(attrs, 'code', raw, report);
	if (code && !/^K\d{1,3}$/.test(code)) report(keyLine(raw, 'code'), '`code` phải có dạng K và số, ví dụ K1.');
	const title = requireString(attrs, 'title', raw, report);
	const summary = requireString(attrs, 'summary', raw, report);

	const audienceRaw = attrs.audience;
	const audience: Audience[] = [];
	if (!Array.isArray(audienceRaw) || audienceRaw.length === 0) {
		report(keyLine(raw, 'audience'), `Thiếu \`audience\`: danh sách gồm một hoặc nhiều giá trị ${AUDIENCES.join(', ')}.`);
	} else {
		for (const a of audienceRaw) {
			if (AUDIENCES.includes(a as Audience)) audience.push(a as Audience);
			else report(keyLine(raw, 'audience'), `Đối tượng "${a}" không hợp lệ; dùng ${AUDIENCES.join(', ')}.`);
		}
	}
	const level = attrs.level as Level;
	if (!LEVELS.includes(level)) report(keyLine(raw, 'level'), `\`level\` phải là một trong ${LEVELS.join(', ')}.`);
	const minutes = attrs.minutes;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1000) {
		report(keyLine(raw, 'minutes'), '`minutes` phải là số phút (số nguyên dương).');
	}
	const competences: string[] = [];
	if (!Array.isArray(attrs.competences) || attrs.competences.length === 0) {
		report(keyLine(raw, 'competences'), 'Thiếu `competences`: danh sách mã năng lực, ví dụ [tt02:1.1, digcomp:2.1].');
	} else {
		for (const c of attrs.competences) {
			if (isKnownCompetence(String(c))) competences.push(String(c));
			else report(keyLine(raw, 'competences'), `Mã năng lực "${c}" không có trong Thông tư 02/2025/TT-BGDĐT (tt02:1.1-6.3) hay DigComp 2.2 (digcomp:1.1-5.4).`);
		}
	}
	const qd757: string[] = [];
	const groups = Object.keys(QD757_GROUPS).join(', ');
	if (attrs.qd757 === undefined) {
		report(keyLine(raw, 'qd757'), `Khóa học nên ghi nhóm người học theo Quyết định 757/QĐ-BKHCN (\`qd757\`: ${groups}).`, 'warning');
	} else if (!Array.isArray(attrs.qd757) || attrs.qd757.length === 0) {
		report(keyLine(raw, 'qd757'), `\`qd757\` phải là danh sách nhóm người học theo Quyết định 757/QĐ-BKHCN: ${groups}.`);
	} else {
		for (const g of attrs.qd757) {
			if (Object.hasOwn(QD757_GROUPS, String(g))) qd757.push(String(g));
			else report(keyLine(raw, 'qd757'), `Nhóm "${g}" không có trong Quyết định 757/QĐ-BKHCN; dùng ${groups}.`);
		}
	}
	const completion = attrs.completion as CompletionRule;
	if (!COMPLETION_RULES.includes(completion)) {
		report(keyLine(raw, 'completion'), `\`completion\` phải là một trong ${COMPLETION_RULES.join(', ')}.`);
	}
	const passMark = readPercent(attrs.pass_mark, 'pass_mark', keyLine(raw, 'pass_mark'), report);
	if (attrs.pass_mark === undefined) report(keyLine(raw, 'pass_mark'), 'Thiếu `pass_mark` (phần trăm điểm cần đạt, ví dụ 80).');
	const sources = readSources(attrs.sources, keyLine(raw, 'sources'), report);
	if (sources.length === 0) report(keyLine(raw, 'sources'), 'Khóa học nên ghi nguồn (`sources`).', 'warning');

	const failed = problems.slice(before).some((p) => p.severity === 'error');
	return {
		meta: failed
			? null
			: { code, title, summary, audience, level, minutes: minutes as number, competences, qd757, completion, passMark: passMark!, sources },
		body: s.body,
		bodyLine: s.bodyLine
	};
}

export function parseLessonFile(text: string, file: string, problems: ContentProblem[]): ParsedFile<LessonMeta> {
	const report: Report = (line, message, severity = 'error') => problems.push({ file, line, severity, message });
	const before = problems.length;
	const s = split(text, report);
	if (!s) return { meta: null, body: '', bodyLine: 1 };
	const { attrs, raw } = s;
	warnUnknownKeys(attrs, KNOWN_LESSON_KEYS, raw, report);
	const title = requireString(attrs, 'title', raw, report);
	const minutes = attrs.minutes;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
		report(keyLine(raw, 'minutes'), '`minutes` phải là số phút từ 1 đến 60.');
	}
	const passMark = readPercent(attrs.pass_mark, 'pass_mark', keyLine(raw, 'pass_mark'), report);
	const sources = readSources(attrs.sources, keyLine(raw, 'sources'), report);
	if (sources.length === 0) report(keyLine(raw, 'sources'), 'Bài học chưa ghi nguồn (`sources`).', 'warning');
	const failed = problems.slice(before).some((p) => p.severity === 'error');
	return {
		meta: failed ? null : { title, minutes: minutes as number, passMark, sources },
		body: s.body,
		bodyLine: s.bodyLine
	};
}
