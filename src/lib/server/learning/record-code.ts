import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code read aloud or copied from paper cannot be mistyped into another one. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;

/** A new verification code, stored without hyphens: 31^10 ≈ 8·10^14 possibilities, from crypto random. */
export function newRecordCode(): string {
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return code;
}

/** `K7QFM2XD9H` -> `K7QF-M2XD-9H`, easier to read out and type. */
export function formatRecordCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * What a person typed (any case, with or without hyphens or spaces) as a stored code, or null when it cannot be
 * one. Letters that look alike are not guessed at: a mistyped code is reported as not found.
 */
export function normalizeRecordCode(input: string): string | null {
	const code = input.normalize('NFKC').toUpperCase().replace(/[\s\-–—.]/g, '');
	if (code.length !== CODE_LENGTH) return null;
	for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
	return code;
}
