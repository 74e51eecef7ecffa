import type { PracticeIssue, PracticeSource } from './parse';

export type ViewBox = [number, number, number, number];

/** A screen once its file is found: its address and the viewBox its regions are measured in. */
export interface ResolvedScreen {
	url: string;
	viewBox: ViewBox;
}

/** The viewBox of an SVG (or 0 0 width height); null when it has neither. */
export function svgViewBox(svg: string): ViewBox | null {
	const tag = /<svg\b[^>]*>/i.exec(svg)?.[0];
	if (!tag) return null;
	const vb = /\bviewBox\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
	if (vb) {
		const n = vb.trim().split(/[\s,]+/).map(Number);
		if (n.length === 4 && n.every(Number.isFinite) && n[2] > 0 && n[3] > 0) return n as ViewBox;
		return null;
	}
	const w = Number(/\bwidth\s*=\s*["']([\d.]+)(?:px)?["']/i.exec(tag)?.[1]);
	const h = Number(/\bheight\s*=\s*["']([\d.]+)(?:px)?["']/i.exec(tag)?.[1]);
	return w > 0 && h > 0 ? [0, 0, w, h] : null;
}

/**
 * Checks a practice's structure: every step's screen is declared and found, regions lie inside the screen's viewBox,
 * every `go` names a step, every step is reachable from `start` and can reach an end.
 */
export function checkPractice(p: PracticeSource, screens: Map<string, ResolvedScreen | null>): PracticeIssue[] {
	const issues: PracticeIssue[] = [];
	const next = (id: string): string[] => {
		const s = p.steps.get(id);
		if (!s) return [];
		return [...s.targets.map((t) => t.go).filter((g): g is string => !!g), ...(s.input ? [s.input.go] : [])];
	};
	if (!p.steps.has(p.start)) issues.push({ line: p.line + 1, message: `\`start: ${p.start}\` không phải tên bước nào.` });
	for (const s of p.steps.values()) {
		if (s.screen && !p.screens.has(s.screen)) {
			issues.push({ line: s.line, message: `Bước "${s.id}" dùng màn hình "${s.screen}" chưa khai báo trong \`screens\`.` });
		}
		const screen = screens.get(s.screen);
		if (screen) {
			const [vx, vy, vw, vh] = screen.viewBox;
			for (const t of s.targets) {
				const [x, y, w, h] = t.region;
				if (x < vx || y < vy || x + w > vx + vw || y + h > vy + vh) {
					issues.push({ line: t.line, message: `Bước "${s.id}": vùng chạm "${t.label}" [${t.region.join(', ')}] ra ngoài màn hình "${s.screen}" (viewBox ${screen.viewBox.join(' ')}).` });
				}
			}
		}
		for (const t of s.targets) {
			if (t.go && !p.steps.has(t.go)) issues.push({ line: t.line, message: `Bước "${s.id}": vùng chạm "${t.label}" dẫn tới bước "${t.go}" không có.` });
		}
		if (s.input && !p.steps.has(s.input.go)) issues.push({ line: s.line, message: `Bước "${s.id}": ô nhập dẫn tới bước "${s.input.go}" không có.` });
	}
	if (!p.steps.has(p.start)) return issues;
	const reached = new Set<string>([p.start]);
	const queue = [p.start];
	while (queue.length) {
		for (const n of next(queue.shift()!)) {
			if (p.steps.has(n) && !reached.has(n)) {
				reached.add(n);
				queue.push(n);
			}
		}
	}
	// Steps that can reach an end: grow backwards from the end steps until nothing changes.
	const ending = new Set([...p.steps.values()].filter((s) => s.end).map((s) => s.id));
	for (let changed = true; changed; ) {
		changed = false;
		for (const s of p.steps.values()) {
			if (!ending.has(s.id) && next(s.id).some((n) => ending.has(n))) {
				ending.add(s.id);
				changed = true;
			}
		}
	}
	for (const s of p.steps.values()) {
		if (!reached.has(s.id)) issues.push({ line: s.line, message: `Bước "${s.id}" không đi tới được từ bước bắt đầu "${p.start}".` });
		else if (!ending.has(s.id)) issues.push({ line: s.line, message: `Từ bước "${s.id}" không có đường nào tới một bước kết thúc (\`end: true\`).` });
	}
	return issues;
}
