import { foldVietnamese } from '../vietnamese-text';

/** `02-wifi-va-du-lieu.md` -> { position: 2, slug: 'wifi-va-du-lieu' }; null when the name has no numeric prefix. */
export function parseOrderedName(name: string): { position: number; slug: string } | null {
	const m = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md)?$/.exec(name);
	if (!m) return null;
	return { position: Number(m[1]), slug: m[2] };
}

/** Lowercase ASCII slug of Vietnamese text: "Đăng nhập VNeID" -> "dang-nhap-vneid". */
export function slugify(text: string): string {
	return foldVietnamese(text).replace(/ /g, '-');
}
