import { describe, expect, it } from 'vitest';
import { encodeAroundNonce, ReplayBody } from './page-cache';

describe('a stored page encoded once and replayed', () => {
	const page = '<html><head><style nonce="OLD">p{}</style><script nonce="OLD" src="/a.js"></script></head><body>Học Số – bài học</body></html>';

	it('gives the same bytes as encoding the page with the new nonce in', () => {
		const body = new ReplayBody('OLD', 'NEW+nonce/1=');
		body.pieces(encodeAroundNonce(page, 'OLD'));
		expect(body.bytes().toString('utf8')).toBe(page.replaceAll('OLD', 'NEW+nonce/1='));
		expect(body.bytes().equals(Buffer.from(page.replaceAll('OLD', 'NEW+nonce/1=')))).toBe(true);
	});

	it('puts text of this response between stored pieces, replacing the stored nonce only in text taken from the page', () => {
		const [before, after] = page.split('Học Số');
		const body = new ReplayBody('OLD', 'N2');
		body.pieces(encodeAroundNonce(before, 'OLD'));
		body.text('nonce OLD typed by a learner');
		body.text('<i nonce="OLD">', true);
		body.text('');
		body.pieces(encodeAroundNonce(after, 'OLD'));
		expect(body.bytes().toString('utf8')).toBe(`${before.replaceAll('OLD', 'N2')}nonce OLD typed by a learner<i nonce="N2">${after}`);
	});

	it('leaves a page without a nonce as it is, multi-byte characters and all', () => {
		const body = new ReplayBody(null, '');
		body.pieces(encodeAroundNonce('Điện thoại ', null));
		body.text('khóa-123');
		body.pieces(encodeAroundNonce(' – xong', null));
		const bytes = body.bytes();
		expect(bytes.toString('utf8')).toBe('Điện thoại khóa-123 – xong');
		expect(bytes.length).toBe(Buffer.byteLength('Điện thoại khóa-123 – xong'));
	});
});
