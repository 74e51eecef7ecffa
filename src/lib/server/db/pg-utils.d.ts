// node-postgres' own conversion of a value for the server (what its queries use), for the batches of pipeline.ts.
declare module 'pg/lib/utils.js' {
	const utils: { prepareValue(value: unknown): unknown };
	export default utils;
}
