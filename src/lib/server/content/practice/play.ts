import type { Practice, PracticeInput, PracticeStep } from './index';

/** What the learner did on a step: tapped target number `target`, or sent `value` in the step's text field. */
export type PracticeMove = { step: string; target: number; value?: undefined } | { step: string; value: string; target?: undefined };

/**
 * Where a move leads: on to a step, or a wrong tap / entry (the learner stays, with `message` when there is one).
 * A risky choice leads on (to the step explaining it) and counts as a wrong tap on its step (`risky`).
 */
export type MoveOutcome = { right: true; to: string; end: boolean; risky: boolean } | { right: false; message: string | null };

/** Longest answer a text field takes when the block sets no `maxlength`. */
export const DEFAULT_INPUT_MAXLENGTH = 50;

export function inputMaxLength(input: PracticeInput): number {
	return input.maxlength ?? DEFAULT_INPUT_MAXLENGTH;
}

/** The step named `id` (only the practice's own steps: "constructor" is none). */
export function stepOf(practice: Practice, id: string): PracticeStep | undefined {
	return Object.hasOwn(practice.steps, id) ? practice.steps[id] : undefined;
}

/** Why a text-field entry is refused, in Vietnamese; null when it is accepted. */
export function inputProblem(input: PracticeInput, value: string): string | null {
	const max = inputMaxLength(input);
	if ([...value].length > max) return `Ô "${input.label}" nhận tối đa ${max} ký tự, bạn đã gõ ${[...value].length}. ${input.message}`;
	return new RegExp(input.pattern, 'u').test(value) ? null : input.message;
}

/** Plays one move on its step; null when the move does not fit the step (no such target, no text field). */
export function playMove(practice: Practice, move: PracticeMove): MoveOutcome | null {
	const step = stepOf(practice, move.step);
	if (!step) return null;
	let to: string | null;
	let risky = false;
	if (move.target !== undefined) {
		const target = Number.isInteger(move.target) ? step.targets[move.target] : undefined;
		if (!target) return null;
		if (!target.go) return { right: false, message: target.wrong };
		to = target.go;
		risky = target.risky;
	} else {
		if (!step.input) return null;
		const problem = inputProblem(step.input, move.value.trim());
		if (problem) return { right: false, message: problem };
		to = step.input.go;
	}
	return { right: true, to, end: practice.steps[to].end, risky };
}

/**
 * How many moves the shortest way from `start` to an end takes (right taps and entries): what "Khoảng N bước" says.
 * Detours (a risky choice and the explanation it leads to, then back) are not on it.
 */
export function shortestMoves(practice: Practice): number {
	const seen = new Map<string, number>([[practice.start, 0]]);
	const queue = [practice.start];
	for (let i = 0; i < queue.length; i++) {
		const id = queue[i];
		const step = practice.steps[id];
		if (step.end) return seen.get(id)!;
		const next = [...step.targets.filter((t) => t.go && !t.risky).map((t) => t.go!), ...(step.input ? [step.input.go] : [])];
		for (const n of next) {
			if (seen.has(n) || !Object.hasOwn(practice.steps, n)) continue;
			seen.set(n, seen.get(id)! + 1);
			queue.push(n);
		}
	}
	return Object.values(practice.steps).filter((s) => !s.end).length;
}

/** The most moves one run may send at once: far more than any practice needs, so a runaway script is refused. */
export const MAX_MOVES = 400;

export type ReplayResult =
	| { ok: true; steps: Record<string, number>; at: string; completed: boolean }
	| { ok: false; reason: string };

/**
 * Replays a whole run from the start, as the script sends it: every move must be on the step the run is at. Returns
 * the wrong taps (and refused entries) per step reached, the step reached last and whether it is an end.
 */
export function replayRun(practice: Practice, moves: PracticeMove[]): ReplayResult {
	if (moves.length > MAX_MOVES) return { ok: false, reason: 'too many moves' };
	const steps: Record<string, number> = { [practice.start]: 0 };
	let at = practice.start;
	for (const m of moves) {
		if (m.step !== at) return { ok: false, reason: `move on ${m.step} while at ${at}` };
		if (practice.steps[at].end) return { ok: false, reason: 'move after the end' };
		const outcome = playMove(practice, m);
		if (!outcome) return { ok: false, reason: `move that does not fit ${at}` };
		if (!outcome.right || outcome.risky) steps[at]++;
		if (outcome.right) {
			at = outcome.to;
			steps[at] ??= 0;
		}
	}
	return { ok: true, steps, at, completed: practice.steps[at].end };
}
