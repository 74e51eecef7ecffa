/** One mistake found in content, pointing at the file (relative to the project) and line a trainer must fix. */
export interface ContentProblem {
	file: string;
	line: number;
	severity: 'error' | 'warning';
	message: string;
}

export function formatProblem(p: ContentProblem): string {
	return `${p.file}:${p.line}: ${p.severity === 'error' ? 'lỗi' : 'cảnh báo'}: ${p.message}`;
}

/** Thrown when content has errors; the app refuses to start with it. */
export class ContentError extends Error {
	constructor(readonly problems: ContentProblem[]) {
		const errors = problems.filter((p) => p.severity === 'error');
		super(
			`Nội dung khóa học có ${errors.length} lỗi:\n` +
				errors.map(formatProblem).join('\n') +
				'\nChạy `npm run content:check` để xem tất cả.'
		);
		this.name = 'ContentError';
	}
}
