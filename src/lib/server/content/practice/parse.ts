import YAML, { LineCounter, isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';

/** A tap target: a region of the screen, in the SVG's viewBox units. */
export interface PracticeTarget {
	label: string;
	/** File line of the target (its `- label:`). */
	line: number;
	region: [number, number, number, number];
	/** The step a right tap leads to; null for a wrong tap. */
	go: string | null;
	/** Feedback after a wrong tap. */
	wrong: string | null;
	/**
	 * A risky choice (`risky: true` with `go`): it leads to its step (one explaining the risk) but counts as a wrong tap
	 * on this step in the trainers' figures.
	 */
	risky: boolean;
}

export interface PracticeInput {
	label: string;
	pattern: string;
	message: string;
	go: string;
	/** Most characters the field takes (optional; see DEFAULT_INPUT_MAXLENGTH). */
	maxlength?: number;
}

export interface PracticeStep {
	id: string;
	line: number;
	screen: string;
	say: string;
	hint: string | null;
	targets: PracticeTarget[];
	input: PracticeInput | null;
	end: boolean;
	feedback: string | null;
}

export interface PracticeScreen {
	href: string;
	line: number;
}

/** A practice as written in a ```practice block, before its screens are looked up. */
export interface PracticeSource {
	id: string;
	title: string;
	line: number;
	start: string;
	screens: Map<string, PracticeScreen>;
	steps: Map<string, PracticeStep>;
}

export interface PracticeIssue {
	line: number;
	message: string;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Reads the YAML of a ```practice block. `fenceLine` is the file line of the opening fence, so the block's first line
 * is fenceLine + 1. Shape problems are returned with their file line; null when the block cannot be used at all.
 */
export function parsePractice(text: string, fenceLine: number): { practice: PracticeSource | null; issues: PracticeIssue[] } {
	const issues: PracticeIssue[] = [];
	const lc = new LineCounter();
	const doc = YAML.parseDocument(text, { lineCounter: lc, uniqueKeys: true });
	const lineOf = (node: Node | null | undefined, fallback = fenceLine + 1) =>
		node?.range ? fenceLine + lc.linePos(node.range[0]).line : fallback;
	for (const e of doc.errors) {
		issues.push({ line: fenceLine + (e.linePos?.[0]?.line ?? 1), message: `Khối practice sai cú pháp YAML: ${e.message.split('\n')[0]}` });
	}
	if (doc.errors.length) return { practice: null, issues };
	const root = doc.contents;
	if (!isMap(root)) {
		issues.push({ line: fenceLine + 1, message: 'Khối practice phải gồm các mục `id`, `title`, `screens`, `start`, `steps`.' });
		return { practice: null, issues };
	}
	const str = (map: YAMLMap, key: string, what: string, required = true): string | null => {
		const node = map.get(key, true) as Node | undefined;
		if (isScalar(node) && typeof node.value === 'string' && node.value.trim()) return node.value.trim();
		if (isScalar(node) && typeof node.value === 'number') return String(node.value);
		if (required || node) issues.push({ line: lineOf(node ?? map, lineOf(map)), message: `${what} thiếu \`${key}\` (một dòng chữ).` });
		return null;
	};

	const id = str(root, 'id', 'Khối practice');
	if (id && !ID.test(id)) issues.push({ line: lineOf(root.get('id', true) as Node), message: `Mã thực hành "${id}" chỉ gồm chữ thường không dấu, số và gạch nối (ví dụ tin-nhan-trung-thuong).` });
	const title = str(root, 'title', 'Khối practice');
	const start = str(root, 'start', 'Khối practice');

	const screens = new Map<string, PracticeScreen>();
	const screensNode = root.get('screens', true);
	if (!isMap(screensNode) || !screensNode.items.length) {
		issues.push({ line: lineOf(screensNode as Node, fenceLine + 1), message: 'Khối practice thiếu `screens`: tên màn hình -> tệp SVG trong media/ (ví dụ `tin-nhan: media/tin-nhan.svg`).' });
	} else {
		for (const pair of screensNode.items) {
			const key = pair.key as Node;
			const name = isScalar(key) ? String(key.value) : '';
			const value = pair.value as Node;
			const href = isScalar(value) && typeof value.value === 'string' ? value.value.trim() : '';
			if (!href || !/\.svg$/i.test(href)) {
				issues.push({ line: lineOf(value ?? key), message: `Màn hình "${name}" phải là một tệp .svg trong media/ (ví dụ media/${name || 'man-hinh'}.svg).` });
				continue;
			}
			screens.set(name, { href, line: lineOf(value) });
		}
	}

	const steps = new Map<string, PracticeStep>();
	const stepsNode = root.get('steps', true);
	if (!isMap(stepsNode) || !stepsNode.items.length) {
		issues.push({ line: lineOf(stepsNode as Node, fenceLine + 1), message: 'Khối practice thiếu `steps` (các bước, mỗi bước có tên riêng).' });
	} else {
		for (const pair of stepsNode.items) {
			const key = pair.key as Node;
			const stepId = isScalar(key) ? String(key.value) : '';
			const line = lineOf(key);
			if (!ID.test(stepId)) issues.push({ line, message: `Tên bước "${stepId}" chỉ gồm chữ thường không dấu, số và gạch nối.` });
			const node = pair.value;
			if (!isMap(node)) {
				issues.push({ line, message: `Bước "${stepId}" phải có \`screen\`, \`say\` và \`targets\`, \`input\` hoặc \`end: true\`.` });
				continue;
			}
			const what = `Bước "${stepId}"`;
			const screen = str(node, 'screen', what) ?? '';
			const say = str(node, 'say', what) ?? '';
			const hint = str(node, 'hint', what, false);
			const end = node.get('end') === true;
			const feedback = str(node, 'feedback', what, end);
			const targets: PracticeTarget[] = [];
			const targetsNode = node.get('targets', true);
			if (targetsNode !== undefined && !isSeq(targetsNode)) {
				issues.push({ line: lineOf(targetsNode as Node, line), message: `${what}: \`targets\` là một danh sách (mỗi mục bắt đầu bằng "- label:").` });
			}
			if (isSeq(targetsNode)) {
				for (const t of targetsNode.items) {
					const tLine = lineOf(t as Node, line);
					if (!isMap(t)) {
						issues.push({ line: tLine, message: `${what}: mỗi vùng chạm có \`label\`, \`region\` và \`go\` hoặc \`wrong\`.` });
						continue;
					}
					const label = str(t, 'label', `${what}: vùng chạm`) ?? '';
					const regionNode = t.get('region', true);
					const region = isSeq(regionNode) ? regionNode.items.map((n) => (isScalar(n) ? n.value : null)) : [];
					const okRegion = region.length === 4 && region.every((n) => typeof n === 'number' && Number.isFinite(n)) && (region[2] as number) > 0 && (region[3] as number) > 0;
					if (!okRegion) {
						issues.push({ line: lineOf(regionNode as Node, tLine), message: `${what}: vùng chạm "${label}" cần \`region: [x, y, rộng, cao]\` (bốn số, rộng và cao lớn hơn 0, theo đơn vị viewBox của SVG).` });
					}
					const go = str(t, 'go', what, false);
					const wrong = str(t, 'wrong', what, false);
					if ((go === null) === (wrong === null)) {
						issues.push({ line: tLine, message: `${what}: vùng chạm "${label}" cần đúng một trong hai: \`go: <bước tiếp>\` (chạm đúng) hoặc \`wrong: <lời nhắc>\` (chạm sai).` });
					}
					const riskyNode = t.get('risky', true);
					const risky = isScalar(riskyNode) && riskyNode.value === true;
					if (riskyNode !== undefined && !(isScalar(riskyNode) && typeof riskyNode.value === 'boolean')) {
						issues.push({ line: lineOf(riskyNode as Node, tLine), message: `${what}: vùng chạm "${label}": \`risky\` chỉ nhận \`true\` hoặc \`false\`.` });
					} else if (risky && go === null) {
						issues.push({ line: lineOf(riskyNode as Node, tLine), message: `${what}: vùng chạm "${label}" có \`risky: true\` thì cần \`go: <bước giải thích>\` (chọn nguy hiểm dẫn tới bước giải thích, và được đếm là chạm sai).` });
					}
					if (okRegion) targets.push({ label, line: tLine, region: region as [number, number, number, number], go, wrong: go ? null : wrong, risky: risky && go !== null });
				}
			}
			let input: PracticeInput | null = null;
			const inputNode = node.get('input', true);
			if (inputNode !== undefined) {
				if (!isMap(inputNode)) {
					issues.push({ line: lineOf(inputNode as Node, line), message: `${what}: \`input\` cần \`label\`, \`pattern\`, \`message\` và \`go\`.` });
				} else {
					const w = `${what}: ô nhập`;
					const label = str(inputNode, 'label', w);
					const pattern = str(inputNode, 'pattern', w);
					const message = str(inputNode, 'message', w);
					const go = str(inputNode, 'go', w);
					if (pattern) {
						try {
							new RegExp(pattern, 'u');
						} catch {
							issues.push({ line: lineOf(inputNode.get('pattern', true) as Node), message: `${w}: \`pattern\` "${pattern}" không phải biểu thức chính quy hợp lệ.` });
						}
					}
					const maxNode = inputNode.get('maxlength', true) as Node | undefined;
					let maxlength: number | undefined;
					if (maxNode !== undefined) {
						const n = isScalar(maxNode) ? maxNode.value : null;
						if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 200) maxlength = n;
						else issues.push({ line: lineOf(maxNode), message: `${w}: \`maxlength\` là số ký tự tối đa, một số nguyên từ 1 đến 200.` });
					}
					if (label && pattern && message && go) input = { label, pattern, message, go, ...(maxlength ? { maxlength } : {}) };
				}
			}
			const kinds = [targets.length > 0 || isSeq(targetsNode), input !== null || inputNode !== undefined, end].filter(Boolean).length;
			if (kinds !== 1) {
				issues.push({ line, message: `${what} cần đúng một trong: \`targets\` (vùng chạm), \`input\` (ô nhập) hoặc \`end: true\` (bước kết thúc).` });
			}
			if (isSeq(targetsNode) && !targets.some((t) => t.go)) {
				issues.push({ line, message: `${what}: cần ít nhất một vùng chạm đúng (có \`go\`).` });
			}
			if (steps.has(stepId)) issues.push({ line, message: `Trùng tên bước "${stepId}".` });
			steps.set(stepId, { id: stepId, line, screen, say, hint, targets, input, end, feedback });
		}
	}
	if (!id || !title || !start || !steps.size || !screens.size) return { practice: null, issues };
	return { practice: { id, title, line: fenceLine, start, screens, steps }, issues };
}
