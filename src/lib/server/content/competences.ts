/**
 * Competence tags. Circular 02/2025/TT-BGDĐT (digital competence framework for learners) has 6 domains and 24
 * competences numbered like DigComp 2.2 (5 areas, 21 competences) plus domain 6 on artificial intelligence.
 */
const COUNTS = [3, 6, 4, 4, 4];

const TT02_DOMAINS: Record<number, string> = {
	1: 'Khai thác dữ liệu và thông tin',
	2: 'Giao tiếp và hợp tác',
	3: 'Sáng tạo nội dung số',
	4: 'An toàn',
	5: 'Giải quyết vấn đề',
	6: 'Ứng dụng trí tuệ nhân tạo'
};

function codes(counts: number[]): Set<string> {
	const out = new Set<string>();
	counts.forEach((n, i) => {
		for (let c = 1; c <= n; c++) out.add(`${i + 1}.${c}`);
	});
	return out;
}

const TT02 = codes([...COUNTS, 3]);
const DIGCOMP = codes(COUNTS);

export function isKnownCompetence(tag: string): boolean {
	const m = /^(tt02|digcomp):(\d\.\d)$/.exec(tag);
	if (!m) return false;
	return (m[1] === 'tt02' ? TT02 : DIGCOMP).has(m[2]);
}

/** Human label, e.g. "TT 02/2025 · 4.2 An toàn". */
export function competenceLabel(tag: string): string {
	const [framework, code] = tag.split(':');
	const domain = TT02_DOMAINS[Number(code?.[0])] ?? '';
	return framework === 'tt02' ? `TT 02/2025 · ${code} ${domain}` : `DigComp 2.2 · ${code}`;
}

/**
 * Learner groups of the basic digital knowledge and skills framework v1.0 (Decision 757/QĐ-BKHCN, 29 April 2025,
 * Annex I). The four groups are confirmed from public reports of the decision; the annex numbers of each group's
 * framework (1.1-1.4) are not all confirmed, so courses are tagged with the group only.
 */
export const QD757_GROUPS: Record<string, string> = {
	'hoc-sinh-sinh-vien': 'Học sinh, sinh viên',
	'nguoi-dan': 'Người dân',
	'can-bo-cong-chuc-vien-chuc': 'Cán bộ, công chức, viên chức và người lao động trong cơ quan nhà nước',
	'nguoi-lao-dong-doanh-nghiep': 'Người lao động trong doanh nghiệp'
};

/** Human label of a learner group, e.g. "Người dân". */
export function qd757Label(group: string): string {
	return QD757_GROUPS[group] ?? group;
}
