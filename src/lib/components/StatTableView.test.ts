import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import StatTableView from './StatTableView.svelte';

const table = {
	id: 'don-vi',
	title: 'Đơn vị trực thuộc',
	columns: ['Hạng', 'Đơn vị', 'Đã đạt (người)', 'Tỉ lệ'],
	rows: [
		[1, 'Thôn <b>"Một"</b> & Hai', 12345, '87,5 %'],
		[2, 'Xã Kiểm Thử', 0, '—']
	],
	headColumn: 1,
	links: ['/don-vi/7/thong-ke?noi_dung=course%3A1&tu=2025-01-01&x="><script>', null]
};

describe('StatTableView', () => {
	const html = render(StatTableView, { props: { table, exportHref: (f: string) => `/xuat?dinh_dang=${f}` } }).body;

	it('writes each row with its name as a row header, links escaped, numbers the Vietnamese way', () => {
		// Svelte's rendering markers (comments) aside.
		const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>')).replace(/<!--.*?-->/g, '');
		expect(body).toBe(
			'<tbody>' +
				'<tr><td class="num">1</td><th scope="row"><a href="/don-vi/7/thong-ke?noi_dung=course%3A1&amp;tu=2025-01-01&amp;x=&quot;&gt;&lt;script&gt;">Thôn &lt;b&gt;&quot;Một&quot;&lt;/b&gt; &amp; Hai</a></th><td class="num">12.345</td><td>87,5 %</td></tr>' +
				'<tr><td class="num">2</td><th scope="row">Xã Kiểm Thử</th><td class="num">0</td><td>—</td></tr>'
		);
	});

	it('keeps the header row and the export links', () => {
		expect(html).toContain('<th scope="col">Đơn vị</th>');
		expect(html).toContain('href="/xuat?dinh_dang=csv"');
		expect(html).not.toContain('<script>');
	});
});
