// The parts of a page that differ from one signed-in reader to another, as HTML: the header's links and the
// notes on a lesson page about the reader's progress. The pages render them through these functions, and a stored
// lesson page replayed for a signed-in reader gets the same HTML put in (src/lib/server/page-cache.ts), so the two
// can never differ.

import { escapeHtml } from '$lib/escape-html';

export interface NavLink {
	href: string;
	label: string;
}

/**
 * The header's main links: for a logged-in learner their own pages (and their units' pages and the analytics when
 * their roles give them), for anyone else logging in and registering, coming back to `next` (a query string or '').
 */
export function mainNavLinks(o: { user: boolean; managesUnits: boolean; readsAnalytics: boolean; next: string }): NavLink[] {
	const links: NavLink[] = [{ href: '/courses', label: 'Khóa học' }];
	if (!o.user) {
		links.push({ href: `/login${o.next}`, label: 'Đăng nhập' }, { href: `/register${o.next}`, label: 'Đăng ký' });
		return links;
	}
	links.push({ href: '/my', label: 'Khóa học của tôi' });
	if (o.managesUnits) links.push({ href: '/don-vi', label: 'Đơn vị' });
	if (o.readsAnalytics) links.push({ href: '/phan-tich', label: 'Phân tích' });
	links.push({ href: '/account', label: 'Tài khoản' });
	return links;
}

export function navLinksHtml(links: NavLink[]): string {
	return links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join(' ');
}

/** A lesson without a quiz, read: instead of the "I have read it" button. */
export const READ_NOTE = '<p class="notice ok">✓ Bạn đã học xong bài này.</p>';

/** Above a lesson's quiz: passed (with the best score), or tried and not passed yet (unless a result is shown). */
export function quizProgressNote(progress: { passed: boolean; bestScoreText: string | null } | null | undefined, showingResult: boolean): string {
	if (progress?.passed) return `<p class="notice ok">✓ Bạn đã qua bài này. Điểm cao nhất: ${escapeHtml(progress.bestScoreText ?? '')}%.</p>`;
	if (progress?.bestScoreText != null && !showingResult) return `<p class="notice">Bạn chưa qua bài này. Điểm cao nhất: ${escapeHtml(progress.bestScoreText)}%.</p>`;
	return '';
}

/** For a visitor who keeps progress without an account (a guest): where it is kept, and an invitation to register. */
export function guestNote(lessonUrl: string): string {
	const register = escapeHtml(`/register?next=${encodeURIComponent(lessonUrl)}`);
	return (
		'<p class="notice" id="chi-luu-o-may-nay">Bạn chưa đăng nhập: bài đã học chỉ được lưu trong trình duyệt này, trên máy này. ' +
		`<a href="${register}">Đăng ký</a> để giữ lại, học tiếp trên máy khác và nhận giấy chứng nhận.</p>`
	);
}
