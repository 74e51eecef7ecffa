/**
 * Quiz questions written in GIFT, Moodle's plain-text question format
 * (https://docs.moodle.org/en/GIFT_format), as parsed from ```gift blocks of lesson Markdown.
 */

/** Text format of a piece of GIFT text, chosen with a `[markdown]`, `[html]`, `[plain]` or `[moodle]` prefix. */
export type GiftFormat = 'moodle' | 'markdown' | 'html' | 'plain';

/** A piece of trainer text with the format it must be rendered in. Escapes are already resolved. */
export interface GiftText {
	text: string;
	format: GiftFormat;
}

/** Fields every question has. */
export interface GiftQuestionBase {
	/** Name written as `::name::`, unescaped and trimmed. */
	name?: string;
	/** Stable id: the slugified name, or `${idPrefix}-q${n}` when the question has no usable name. */
	id: string;
	/** True when `id` was derived from the position (no usable `::name::`). */
	idDerived: boolean;
	/** Category path from the last `$CATEGORY:` line above the question. */
	category?: string;
	/** 1-based line in the file where the question starts. */
	line: number;
	/** Question text; for a missing-word question, the text before the blank. */
	stem: GiftText;
	/** Missing-word questions: the text after the answer block (the answer block is shown as a blank). */
	stemAfter?: GiftText;
	/** General feedback written after `####`, shown to every learner after grading. */
	generalFeedback?: GiftText;
}

/** One option of a multiple-choice question. */
export interface GiftChoice {
	text: GiftText;
	/** Credit for choosing it, -1..1 (one of Moodle's grade fractions). */
	fraction: number;
	feedback?: GiftText;
}

export interface MultichoiceQuestion extends GiftQuestionBase {
	type: 'multichoice';
	/** One answer (radio buttons, written with `=`) or several (checkboxes, only `~%n%` weights). */
	single: boolean;
	choices: GiftChoice[];
}

export interface TrueFalseQuestion extends GiftQuestionBase {
	type: 'truefalse';
	/** The statement is true (`{T}`, `{TRUE}`) or false (`{F}`, `{FALSE}`). */
	answer: boolean;
	/** First `#` of `{T#wrong#right}`: shown to a learner who answered wrongly. */
	feedbackWrong?: GiftText;
	/** Second `#`: shown to a learner who answered rightly. */
	feedbackRight?: GiftText;
}

export interface ShortAnswer {
	/** Accepted text; `*` matches any characters, `\*` is a literal asterisk. Compared ignoring case. */
	text: string;
	/** Credit 0..1. */
	fraction: number;
	feedback?: GiftText;
}

export interface ShortAnswerQuestion extends GiftQuestionBase {
	type: 'shortanswer';
	/** Checked in order; the first one that matches the response grades it. */
	answers: ShortAnswer[];
}

export interface MatchPair {
	left: GiftText;
	/** Right-hand text is plain text in Moodle. */
	right: string;
}

export interface MatchingQuestion extends GiftQuestionBase {
	type: 'matching';
	pairs: MatchPair[];
	/** Extra right-hand options that match nothing, written `= -> text`. */
	distractors: string[];
}

/** `value:tolerance` (or a bare value, tolerance 0). */
export interface NumericalExact {
	kind: 'exact';
	value: number;
	tolerance: number;
}

/** `min..max`. */
export interface NumericalRange {
	kind: 'range';
	min: number;
	max: number;
}

export type NumericalAnswer = (NumericalExact | NumericalRange) & {
	/** Credit 0..1. */
	fraction: number;
	feedback?: GiftText;
};

export interface NumericalQuestion extends GiftQuestionBase {
	type: 'numerical';
	/** Checked in order; the first one that contains the response grades it. */
	answers: NumericalAnswer[];
	/** `~#feedback`: shown when the number matches none of the answers. */
	otherFeedback?: GiftText;
}

export interface EssayQuestion extends GiftQuestionBase {
	type: 'essay';
}

export interface DescriptionQuestion extends GiftQuestionBase {
	type: 'description';
}

export type GiftQuestion =
	| MultichoiceQuestion
	| TrueFalseQuestion
	| ShortAnswerQuestion
	| MatchingQuestion
	| NumericalQuestion
	| EssayQuestion
	| DescriptionQuestion;

export type GiftQuestionType = GiftQuestion['type'];

export interface GiftProblem {
	/** 1-based line in the file. */
	line: number;
	severity: 'error' | 'warning';
	message: string;
}

export interface GiftParseResult {
	/** Questions without errors, in source order. */
	questions: GiftQuestion[];
	problems: GiftProblem[];
}

/**
 * A learner's answer to one question, as read from the quiz form:
 * multichoice single, truefalse (`'true'|'false'`), shortanswer, numerical -> string;
 * multichoice with several answers -> string[] of choice keys; matching -> left key -> right key.
 */
export type QuizResponse = string | string[] | Record<string, string>;

export type GradeState = 'correct' | 'partial' | 'incorrect' | 'unanswered' | 'manual';

export interface GradeResult {
	/** Credit 0..1 (clamped as Moodle does for several answers). */
	fraction: number;
	state: GradeState;
	/** Feedback of what the learner chose or typed. */
	feedback: GiftText[];
	generalFeedback?: GiftText;
}

export interface QuizGrade {
	/** 0..100: mean of the fractions of the auto-graded questions (100 when there are none). */
	score: number;
	/** How many questions counted in the score. */
	gradable: number;
	results: Record<string, GradeResult>;
}

/** An option the browser may see: an opaque key and rendered HTML. */
export interface PublicOption {
	key: string;
	html: string;
}

/** A right-hand matching option: an opaque key and plain text (shown inside `<option>`). */
export interface PublicMatchOption {
	key: string;
	text: string;
}

interface PublicBase {
	id: string;
	stemHtml: string;
	stemAfterHtml?: string;
}

/** What the browser may see of a question: no credit, no correct answer, no feedback. */
export type PublicQuestion =
	| (PublicBase & { type: 'multichoice'; multiple: boolean; choices: PublicOption[] })
	| (PublicBase & { type: 'truefalse' })
	| (PublicBase & { type: 'shortanswer' })
	| (PublicBase & { type: 'numerical' })
	| (PublicBase & { type: 'matching'; items: PublicOption[]; options: PublicMatchOption[] })
	| (PublicBase & { type: 'essay' })
	| (PublicBase & { type: 'description' });
