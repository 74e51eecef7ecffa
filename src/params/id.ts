import type { ParamMatcher } from '@sveltejs/kit';
import { parseId } from '$lib/ids';

/** `[x=id]` route parameters: a database id, else the route does not match (404). */
export const match: ParamMatcher = (param) => parseId(param) !== null;
