/**
 * Length and picture size of an MP4 (ISO BMFF) file, read from its `moov` box: `mvhd` gives the duration,
 * the `tkhd` of the first track with a picture gives the display size. Enough for "1 phút, 0,1 MB" and for
 * sizing the player before anything of the video is downloaded. Null when the file is not a readable MP4.
 */
export interface Mp4Info {
	seconds: number;
	width: number;
	height: number;
}

interface Box {
	type: string;
	start: number;
	end: number;
}

function* boxes(buf: Buffer, start: number, end: number): Generator<Box> {
	let at = start;
	while (at + 8 <= end) {
		let size = buf.readUInt32BE(at);
		const type = buf.toString('latin1', at + 4, at + 8);
		let header = 8;
		if (size === 1) {
			if (at + 16 > end) return;
			size = Number(buf.readBigUInt64BE(at + 8));
			header = 16;
		} else if (size === 0) {
			size = end - at;
		}
		if (size < header || at + size > end) return;
		yield { type, start: at + header, end: at + size };
		at += size;
	}
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
	for (const b of boxes(buf, parent.start, parent.end)) if (b.type === type) return b;
	return undefined;
}

export function readMp4Info(buf: Buffer): Mp4Info | null {
	const moov = [...boxes(buf, 0, buf.length)].find((b) => b.type === 'moov');
	if (!moov) return null;
	const mvhd = child(buf, moov, 'mvhd');
	if (!mvhd) return null;
	const v1 = buf[mvhd.start] === 1;
	// version 1: 8-byte creation and modification times and duration; version 0: 4-byte ones.
	const timescale = buf.readUInt32BE(mvhd.start + (v1 ? 20 : 12));
	const duration = v1 ? Number(buf.readBigUInt64BE(mvhd.start + 24)) : buf.readUInt32BE(mvhd.start + 16);
	if (!timescale) return null;
	let width = 0;
	let height = 0;
	for (const trak of boxes(buf, moov.start, moov.end)) {
		if (trak.type !== 'trak') continue;
		const tkhd = child(buf, trak, 'tkhd');
		if (!tkhd) continue;
		// Width and height are the last two 16.16 fixed-point fields of tkhd.
		const w = buf.readUInt32BE(tkhd.end - 8) / 65536;
		const h = buf.readUInt32BE(tkhd.end - 4) / 65536;
		if (w > 0 && h > 0) {
			width = Math.round(w);
			height = Math.round(h);
			break;
		}
	}
	return { seconds: duration / timescale, width, height };
}
