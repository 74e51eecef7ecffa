/**
 * A path on this site to send someone to after logging in, or null. Only same-site paths are kept: "/courses?x=1"
 * yes; "https://evil.example", "//evil.example", "/\\evil.example" and "javascript:..." no.
 */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	if (/[\u0000-\u001f]/.test(next)) return null;
	try {
		const base = 'http://same.invalid';
		const url = new URL(next, base);
		return url.origin === base ? url.pathname + url.search + url.hash : null;
	} catch {
		return null;
	}
}
