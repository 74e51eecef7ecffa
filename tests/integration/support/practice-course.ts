import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Courses holding one practice (a wrong tap, a right tap and a risky choice whose explanation leads back, then a
// 6-digit field, then the end), each with a reading
// lesson before it unless told otherwise. The completion rule is given, so a test can require the practice or not.
const course = (code: string, rule: string) => `---
code: ${code}
title: Khóa thực hành ${code}
summary: Một bài có thực hành.
audience: [citizen]
level: basic
minutes: 3
competences: [tt02:1.1]
qd757: [nguoi-dan]
completion: ${rule}
pass_mark: 100
sources:
  - title: Nguồn thử
    url: https://example.org/
---
Khóa thử.
`;
const HEAD = `---
title: Bài thực hành
minutes: 3
sources:
  - title: Nguồn thử
    url: https://example.org/
---
Nội dung.
`;

/** The practice block; its field takes at most `maxlength` characters, or the default limit when null. */
export const practiceBlock = (maxlength: number | null = 6) => `
\`\`\`practice
id: tin-nhan
title: Tin nhắn lạ
screens:
  tin: media/tin.svg
start: doc
steps:
  doc:
    screen: tin
    say: Chọn cách an toàn.
    hint: Tìm nút xóa.
    targets:
      - label: Mở liên kết
        region: [0, 0, 180, 100]
        wrong: Liên kết lạ rất nguy hiểm.
      - label: Xóa tin nhắn
        region: [180, 540, 180, 100]
        go: ma
      - label: Gọi lại số lạ
        region: [0, 200, 180, 100]
        go: giai-thich
        risky: true
  giai-thich:
    screen: tin
    say: Gọi lại số lạ là tự nối máy với kẻ gian.
    targets:
      - label: Quay lại
        region: [0, 540, 180, 100]
        go: doc
  ma:
    screen: tin
    say: Gõ 6 chữ số.
    input:
      label: Mã
      pattern: '^\\d{6}$'
      message: Hãy gõ đúng 6 chữ số.
${maxlength === null ? '' : `      maxlength: ${maxlength}\n`}      go: xong
  xong:
    screen: tin
    say: Xong.
    end: true
    feedback: Bạn đã làm đúng.
\`\`\`
`;

export interface PracticeCourse {
	slug: string;
	code: string;
	/** The course's completion rule. */
	rule: string;
	/** A reading lesson (bai-doc) before the practice lesson (bai-thuc-hanh); default true. */
	reading?: boolean;
	/** The practice field's maxlength; default 6, null for none (the default limit). */
	maxlength?: number | null;
}

/** Writes a content folder with the given courses, in order; returns its root (remove it afterwards). */
export function writePracticeCourses(courses: PracticeCourse[]): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-practice-'));
	courses.forEach(({ slug, code, rule, reading = true, maxlength = 6 }, i) => {
		const dir = path.join(root, 'courses', `0${i + 1}-${slug}`);
		fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'course.md'), course(code, rule));
		if (reading) fs.writeFileSync(path.join(dir, '01-bai-doc.md'), HEAD.replace('Bài thực hành', 'Bài đọc'));
		fs.writeFileSync(path.join(dir, `0${reading ? 2 : 1}-bai-thuc-hanh.md`), HEAD + practiceBlock(maxlength));
		fs.writeFileSync(path.join(dir, 'media', 'tin.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 640"><rect width="360" height="640" fill="#eee"/></svg>');
	});
	return root;
}
