const BASE = 'http://same.invalid';

/**
 * A path on this site to send someone to after logging in, or null. Only same-site paths are kept, judged after
 * the browser's own normalisation (dot segments, backslashes, percent-encoded dots): "/courses?x=1" yes;
 * "https://evil.example", "//evil.example", "/\\evil.example", "/..//evil.example", "/%2e%2e//evil.example",
 * "/%2f%2fevil.example" and "javascript:..." no. The path returned is the normalised one, so what is checked is
 * exactly what the browser is sent to.
 */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || next.length > 2000 || !next.startsWith('/')) return null;
	// Control characters are dropped by URL parsers and a backslash counts as a slash: neither belongs in a path here.
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (/[\u0000-\u001f\u007f\\]/.test(next)) return null;
	let url: URL;
	try {
		url = new URL(next, BASE);
	} catch {
		return null;
	}
	if (url.origin !== BASE) return null;
	const path = url.pathname;
	if (!path.startsWith('/') || path.startsWith('//')) return null;
	// A slash or backslash hidden behind percent-encoding at the start is read as "//" by some proxies and servers.
	let decoded: string;
	try {
		decoded = decodeURIComponent(path);
	} catch {
		return null;
	}
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (decoded.startsWith('//') || decoded.includes('\\') || /[\u0000-\u001f\u007f]/.test(decoded)) return null;
	return path + url.search + url.hash;
}
