import { foldVietnamese } from '../vietnamese-text';

/** The `unit.search_key` of a unit: its type and name folded, with a leading space so " word" matches any word start. */
export function unitSearchKey(type: string, name: string): string {
	return ` ${foldVietnamese(`${type} ${name}`)}`;
}
