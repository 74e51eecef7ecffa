import type { ContentStatus } from './publisher';

const dateTime = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });

/** The publishing status as the content page shows it: dates in Vietnam's time, problems with file:line. */
export function describeContentStatus(s: ContentStatus) {
	return {
		publishedText: s.publishedAt ? dateTime.format(s.publishedAt) : null,
		fromDatabase: s.source === 'database',
		checkedText: s.checkedAt ? dateTime.format(s.checkedAt) : null,
		stale: s.stale,
		errorCount: s.errorCount,
		warningCount: s.problems.length - s.problems.filter((p) => p.severity === 'error').length,
		problems: s.problems
			.slice()
			.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.file.localeCompare(b.file) || a.line - b.line)
			.slice(0, 500)
			.map((p) => ({ where: `${p.file}:${p.line}`, error: p.severity === 'error', message: p.message }))
	};
}
