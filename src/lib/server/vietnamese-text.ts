/**
 * Folds Vietnamese text for matching: no diacritics (đ/Đ become d, and so does Ð/ð, the look-alike letter that
 * some keyboards and old documents give: "Ðà Nẵng"), lowercase, every run of characters other than a-z and 0-9
 * turned into one space, trimmed. "Xã Vân Canh" -> "xa van canh".
 */
export function foldVietnamese(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ\u00D0\u00F0]/g, 'd')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}
