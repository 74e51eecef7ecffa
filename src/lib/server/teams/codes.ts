import { randomInt } from 'node:crypto';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';
import { CODE_ALPHABET } from '$lib/server/learning/record-code';

// Codes a person reads from paper and types: the record-code alphabet (no 0/O, 1/I/L), grouped by four.

export function newCode(length: number): string {
	let code = '';
	for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return code;
}

/** `K7QFM2XD` -> `K7QF-M2XD`. */
export function formatCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** What a person typed (any case, spaces or hyphens) as a code of `length`, or null when it cannot be one. */
export function normalizeCode(input: string, length: number): string | null {
	const code = input.normalize('NFKC').toUpperCase().replace(/[\s\-–—.]/g, '');
	if (code.length !== length) return null;
	for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
	return code;
}

export function hashCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(code)));
}

/** A 6-digit PIN from crypto random (leading zeros kept). */
export function newPin(): string {
	return String(randomInt(1_000_000)).padStart(6, '0');
}

export function isPin(input: string): boolean {
	return /^\d{6}$/.test(input);
}
