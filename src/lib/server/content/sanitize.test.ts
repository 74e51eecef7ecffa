import { describe, expect, test } from 'vitest';
import { sanitizeLessonHtml } from './sanitize';

describe('lesson HTML sanitiser', () => {
	test('removes script, event handlers, javascript: URLs, iframes and style', () => {
		const out = sanitizeLessonHtml(
			'<p onclick="x()">Chào<script>alert(1)</script></p><a href="javascript:alert(1)">x</a><iframe src="https://e.org"></iframe><p style="color:red">y</p><img src="x" onerror="alert(1)" alt="a">'
		);
		expect(out).not.toMatch(/script|onclick|onerror|javascript:|iframe|style=/i);
		expect(out).toContain('<p>Chào</p>');
	});

	test('keeps the markup lessons are made of', () => {
		const html =
			'<h2 id="muc">Mục</h2><aside class="callout callout-tip" role="note" aria-label="Mẹo"><p>Mẹo</p></aside>' +
			'<figure class="lesson-figure"><img src="/media/k/a.svg" alt="Ảnh" width="10" height="20" loading="lazy"><figcaption>Chú thích</figcaption></figure>' +
			'<video class="video-js" controls preload="none" playsinline poster="/p.png"><source src="/v.mp4" type="video/mp4"><track kind="captions" src="/v.vtt" srclang="vi" label="Tiếng Việt" default></video>' +
			'<table><thead><tr><th scope="col">A</th></tr></thead></table><a href="https://dichvucong.gov.vn">DVC</a>';
		const out = sanitizeLessonHtml(html);
		for (const piece of ['id="muc"', 'callout callout-tip', 'alt="Ảnh"', 'width="10"', 'controls', 'kind="captions"', 'srclang="vi"', 'default', 'scope="col"', 'href="https://dichvucong.gov.vn"']) {
			expect(out).toContain(piece);
		}
	});

	test('drops classes outside the allow-list', () => {
		expect(sanitizeLessonHtml('<p class="evil callout">x</p>')).toBe('<p class="callout">x</p>');
	});
});
