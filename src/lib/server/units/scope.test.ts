import { expect, test } from 'vitest';
import { computeUnitScope } from './scope';

// 1 old province -> 2 old districts -> communes 4, 5 (district 2) and 6 (district 3).
// 10 new province -> new communes 11, 12; hamlet 13 under 11.
// Lineage: 4 -> 11 full; 5 -> 11 partial and 5 -> 12 partial; 6 -> 12 full; 1, 2, 3 -> 10 full.
const units = [
	{ id: 1, parentId: null },
	{ id: 2, parentId: 1 },
	{ id: 3, parentId: 1 },
	{ id: 4, parentId: 2 },
	{ id: 5, parentId: 2 },
	{ id: 6, parentId: 3 },
	{ id: 10, parentId: null },
	{ id: 11, parentId: 10 },
	{ id: 12, parentId: 10 },
	{ id: 13, parentId: 11 }
];
const lineage = [
	{ oldUnitId: 4, newUnitId: 11, kind: 'full' as const },
	{ oldUnitId: 5, newUnitId: 11, kind: 'partial' as const },
	{ oldUnitId: 5, newUnitId: 12, kind: 'partial' as const },
	{ oldUnitId: 6, newUnitId: 12, kind: 'full' as const },
	{ oldUnitId: 1, newUnitId: 10, kind: 'full' as const },
	{ oldUnitId: 2, newUnitId: 10, kind: 'full' as const },
	{ oldUnitId: 3, newUnitId: 10, kind: 'full' as const }
];
const rows = computeUnitScope(units, lineage);
const under = (a: number) =>
	Object.fromEntries(
		rows
			.filter((r) => r.ancestorId === a)
			.sort((x, y) => x.unitId - y.unitId)
			.map((r) => [r.unitId, `${r.depth}${r.partial ? 'p' : ''}`])
	);

test('an old unit counts only its own tree', () => {
	expect(under(2)).toEqual({ 2: '0', 4: '1', 5: '1' });
	expect(under(4)).toEqual({ 4: '0' });
});

test('a new commune counts its hamlets and what flowed into it; a partial step marks the unit partial', () => {
	expect(under(11)).toEqual({ 11: '0', 13: '1', 4: '0', 5: '0p' });
	expect(under(12)).toEqual({ 12: '0', 5: '0p', 6: '0' });
	expect(under(13)).toEqual({ 13: '0' });
});

test('one way of full steps makes a unit whole: the split commune lies wholly in the new province', () => {
	expect(under(10)).toEqual({ 1: '0', 2: '0', 3: '0', 4: '1', 5: '1', 6: '1', 10: '0', 11: '1', 12: '1', 13: '2' });
});

test('every unit counts under itself once', () => {
	for (const u of units) expect(rows.filter((r) => r.ancestorId === u.id && r.unitId === u.id)).toEqual([{ ancestorId: u.id, unitId: u.id, depth: 0, partial: false }]);
	const keys = rows.map((r) => `${r.ancestorId}-${r.unitId}`);
	expect(new Set(keys).size).toBe(keys.length);
});
