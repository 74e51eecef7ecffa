import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMp4Info } from './mp4';

describe('readMp4Info', () => {
	it('reads a course video made by ffmpeg (a portrait phone recording under ten minutes)', () => {
		const info = readMp4Info(fs.readFileSync('content/courses/01-lam-quen-dien-thoai/media/ket-noi-wifi.mp4'));
		expect(info).not.toBeNull();
		expect(info!.seconds).toBeGreaterThan(5);
		expect(info!.seconds).toBeLessThan(600);
		expect(info!.height).toBeGreaterThan(info!.width);
		expect(info!.width).toBeGreaterThan(0);
	});

	it('returns null for a file that is not an MP4', () => {
		expect(readMp4Info(Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào'))).toBeNull();
		expect(readMp4Info(Buffer.alloc(0))).toBeNull();
	});

	it('reads a minimal hand-made movie header (version 0, 90 kHz, 90 s, 1280x720)', () => {
		const box = (type: string, ...parts: Buffer[]) => {
			const body = Buffer.concat(parts);
			const head = Buffer.alloc(8);
			head.writeUInt32BE(body.length + 8);
			head.write(type, 4, 'latin1');
			return Buffer.concat([head, body]);
		};
		const mvhd = Buffer.alloc(100);
		mvhd.writeUInt32BE(90000, 12);
		mvhd.writeUInt32BE(90000 * 90, 16);
		const tkhd = Buffer.alloc(84);
		tkhd.writeUInt32BE(1280 * 65536, 76);
		tkhd.writeUInt32BE(720 * 65536, 80);
		const file = Buffer.concat([box('ftyp', Buffer.from('isom')), box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd)))]);
		expect(readMp4Info(file)).toEqual({ seconds: 90, width: 1280, height: 720 });
	});
});
