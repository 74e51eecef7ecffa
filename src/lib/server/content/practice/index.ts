import { checkPractice, type ResolvedScreen } from './check';
import { parsePractice, type PracticeStep } from './parse';

export type { PracticeStep, PracticeTarget, PracticeInput } from './parse';
export type { ResolvedScreen, ViewBox } from './check';

/** A checked practice, ready to play: server only (it holds which tap is right). */
export interface Practice {
	id: string;
	title: string;
	start: string;
	screens: Record<string, ResolvedScreen>;
	steps: Record<string, PracticeStep>;
}

export interface PracticeContext {
	report(line: number, message: string): void;
	/** Looks up a screen file; null (after reporting) when it is missing. */
	screen(href: string, line: number): { url: string; viewBox?: [number, number, number, number] } | null;
}

/** Reads and checks one ```practice block; every problem is reported at its file line. Null when it has any. */
export function readPractice(text: string, fenceLine: number, ctx: PracticeContext): Practice | null {
	const { practice, issues } = parsePractice(text, fenceLine);
	let failed = issues.length > 0;
	for (const i of issues) ctx.report(i.line, i.message);
	if (!practice) return null;
	const resolved = new Map<string, ResolvedScreen | null>();
	for (const [name, s] of practice.screens) {
		const ref = ctx.screen(s.href, s.line);
		if (ref && !ref.viewBox) ctx.report(s.line, `Màn hình "${s.href}" không có viewBox (hoặc width và height) để đo vùng chạm.`);
		resolved.set(name, ref?.viewBox ? { url: ref.url, viewBox: ref.viewBox } : null);
		if (!ref?.viewBox) failed = true;
	}
	const more = checkPractice(practice, resolved);
	for (const i of more) ctx.report(i.line, i.message);
	if (failed || more.length) return null;
	return {
		id: practice.id,
		title: practice.title,
		start: practice.start,
		screens: Object.fromEntries([...resolved].map(([k, v]) => [k, v!])),
		steps: Object.fromEntries(practice.steps)
	};
}
