// The public address of the site, for links that leave the browser: the verify link and QR code printed on a
// certificate. It comes from configuration (PUBLIC_URL, else ORIGIN), never from the request's Host header, which
// is whatever the browser (or a forger) sent: a LAN address in a commune office, or another site altogether.

/** The configured public origin (`https://hocso.example.gov.vn`), or null when none is set or it is not a URL. */
export function publicOrigin(env: Record<string, string | undefined> = process.env): string | null {
	for (const raw of [env.PUBLIC_URL, env.ORIGIN]) {
		if (!raw?.trim()) continue;
		try {
			const url = new URL(raw.trim());
			if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
		} catch {
			// not a URL: try the next setting
		}
	}
	return null;
}

/** The warning printed at start when printed links have no configured address; null when one is set. */
export function publicOriginWarning(env: Record<string, string | undefined> = process.env): string | null {
	if (publicOrigin(env)) return null;
	return (
		'CẢNH BÁO: chưa đặt PUBLIC_URL (hoặc ORIGIN), địa chỉ công khai của trang, ví dụ PUBLIC_URL=https://hocso.example.gov.vn. ' +
		'Giấy chứng nhận sẽ in đường dẫn kiểm tra không có tên miền và không có mã QR cho đến khi đặt nó.'
	);
}
