import QRCode from 'qrcode';

/** An SVG QR code of a URL, to inline in a page (generated here from our own URL: no user markup in it). */
export function qrSvg(url: string): Promise<string> {
	return QRCode.toString(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
}
