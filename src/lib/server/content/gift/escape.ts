/**
 * GIFT escapes: `\~ \= \# \{ \} \:` stand for the character itself, `\n` for a line break and `\\` for a
 * backslash. While parsing, each escape is replaced by one private-use character, so that the control
 * characters left in the text are exactly the unescaped ones and every character keeps its source line.
 */

const ESCAPED: Record<string, string> = {
	'\\': '\uE000',
	':': '\uE001',
	'#': '\uE002',
	'=': '\uE003',
	'{': '\uE004',
	'}': '\uE005',
	'~': '\uE006',
	n: '\uE007'
};

const RESTORED: Record<string, string> = {
	'\uE000': '\\',
	'\uE001': ':',
	'\uE002': '#',
	'\uE003': '=',
	'\uE004': '{',
	'\uE005': '}',
	'\uE006': '~',
	'\uE007': '\n'
};

/** Placeholder for the escape `\c`, or undefined when `\c` is not a GIFT escape (the backslash is kept). */
export function placeholderFor(c: string): string | undefined {
	return ESCAPED[c];
}

/** Replaces placeholders by the characters they stand for. */
export function restoreEscapes(s: string): string {
	return s.replace(/[\uE000-\uE007]/g, (c) => RESTORED[c]);
}

/** Escapes text for writing into GIFT (as Moodle's exporter does): line breaks become `\n`. */
export function escapeGift(text: string): string {
	return text.replace(/\r\n?/g, '\n').replace(/[\\~=#{}:\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}
