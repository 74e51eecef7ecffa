/**
 * A name as the public verification page shows it: the family name whole, every other word as its first
 * letter and two stars ("Nguyễn Văn An" -> "Nguyễn V** A**"). Enough for someone holding the paper to match it,
 * too little to learn the full name from a code.
 */
export function maskName(fullName: string | null): string | null {
	const words = (fullName ?? '').normalize('NFC').trim().split(/\s+/).filter(Boolean);
	if (!words.length) return null;
	if (words.length === 1) return `${[...words[0]][0]}**`;
	return [words[0], ...words.slice(1).map((w) => `${[...w][0]}**`)].join(' ');
}
