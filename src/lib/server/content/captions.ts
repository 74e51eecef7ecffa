/**
 * Reading speed of WebVTT captions. Lesson videos carry no sound, so the captions are the narration: learners who
 * read slowly need cues that stay long enough. A cue may show at most MAX_CAPTION_CPS characters per second.
 */
export const MAX_CAPTION_CPS = 15;

export interface CaptionCue {
	/** 1-based line of the timing line in the file. */
	line: number;
	start: number;
	end: number;
	text: string;
	/** Characters per second (spaces included, line breaks counted as one space). */
	cps: number;
}

function seconds(stamp: string): number | null {
	const m = /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$/.exec(stamp);
	if (!m) return null;
	return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

/** Cues of a WebVTT file, with their reading speed. Blocks that are not cues (NOTE, STYLE, REGION) are skipped. */
export function parseCaptionCues(vtt: string): CaptionCue[] {
	const lines = vtt.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	const cues: CaptionCue[] = [];
	for (let i = 0; i < lines.length; i++) {
		const m = /^\s*(\S+)\s+-->\s+(\S+)/.exec(lines[i]);
		if (!m) continue;
		const start = seconds(m[1]);
		const end = seconds(m[2]);
		const textLines: string[] = [];
		let j = i + 1;
		for (; j < lines.length && lines[j].trim() !== ''; j++) textLines.push(lines[j].trim());
		if (start === null || end === null) continue;
		const text = textLines.join(' ').replace(/<[^>]*>/g, '').normalize('NFC');
		const duration = end - start;
		const chars = Array.from(text).length;
		cues.push({ line: i + 1, start, end, text, cps: duration > 0 ? chars / duration : Infinity });
		i = j;
	}
	return cues;
}

/** Cues that run faster than the limit. */
export function fastCaptionCues(vtt: string, max = MAX_CAPTION_CPS): CaptionCue[] {
	return parseCaptionCues(vtt).filter((c) => c.cps > max);
}
