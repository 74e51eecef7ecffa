// Page data that only the server's rendering reads. SvelteKit serialises every load's data into the page for the
// client router, even on pages that ship no client code (`csr = false`); for a lesson that means escaping its whole
// HTML and quiz on every request, the largest cost of the page. Objects marked here are written as a placeholder
// instead (see `transport` in src/hooks.ts).
// Note: only for data of pages with `csr = false`: a hydrated page would receive the placeholder, not the object.

const marked = new WeakSet<object>();

/** Marks `value` (an object or array, kept as it is) as read only while rendering on the server. */
export function serverRendered<T extends object>(value: T): T {
	marked.add(value);
	return value;
}

export function isServerRendered(value: unknown): boolean {
	return typeof value === 'object' && value !== null && marked.has(value);
}
