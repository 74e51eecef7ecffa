// The four practice lessons played to their end on a 360 px phone without JavaScript, as a first-time learner would:
// wrong taps and bad entries on the way, the risky choice in the VietQR and scam practices, the way back from every
// explanation screen. Prints how long each walk took and what each step weighed on the wire; axe on step pages.
import { expect, test, type Page, type Request, type TestInfo } from '@playwright/test';
import { axeViolations } from './support/axe';

// The tests of this file are independent (each plays as a visitor of its own on the suite's server): they may
// run on different workers at the same time.
test.describe.configure({ mode: 'parallel' });

/** One learner action: a right tap, a wrong tap (stays on the step), a detour through an explanation step, or typing. */
type Act =
	| { tap: string; then?: string }
	| { miss: string; feedback: string }
	| { type: string; first?: string; message?: string; then?: string };

interface Walk {
	name: string;
	lesson: string;
	practice: string;
	/** Step shown in the screenshot and checked with axe, with a wrong tap's feedback open when `wrong` is set. */
	shot: { step: string; wrong?: number };
	acts: Act[];
	end: string;
}

const walks: Walk[] = [
	{
		name: 'VNeID',
		lesson: '/courses/dinh-danh-dien-tu-vneid/thuc-hanh-kich-hoat-vneid',
		practice: 'kich-hoat-muc-2',
		shot: { step: 'mo-ung-dung', wrong: 2 },
		acts: [
			{ miss: 'Đăng ký tài khoản', feedback: 'Không cần đăng ký lại' },
			{ tap: 'Kích hoạt tài khoản định danh điện tử', then: 'Gõ số định danh cá nhân' },
			{ first: '12345678901', message: 'gồm đúng 12 chữ số', type: '123456789012', then: 'Gõ số điện thoại' },
			{ first: '912345678', message: 'bắt đầu bằng số 0', type: '0912345678', then: 'Kiểm tra lại rồi gửi đi' },
			{ tap: 'Gửi yêu cầu', then: '246810' },
			{ first: '123456', message: 'Mã chưa đúng', type: '246810', then: 'Đặt mật khẩu' },
			{ first: 'matkhau123', message: 'chữ hoa, chữ thường', type: 'Vuonrau@2026', then: 'Đặt passcode' },
			{ first: '123456', message: 'dễ đoán', type: '480317', then: 'câu hỏi bảo mật' },
			{ tap: 'Hoàn tất', then: 'Bây giờ đăng nhập' },
			{ miss: 'Quên mật khẩu?', feedback: 'không cần lấy lại' },
			{ tap: 'Đăng nhập' }
		],
		end: 'Trang chủ ghi mức 2 là xong'
	},
	{
		name: 'Cổng Dịch vụ công',
		lesson: '/courses/dich-vu-cong-truc-tuyen/thuc-hanh-nop-ho-so',
		practice: 'nop-ho-so-khai-sinh',
		shot: { step: 'chon-thu-tuc', wrong: 0 },
		acts: [
			{ miss: 'Ô tìm thủ tục', feedback: 'Đăng nhập trước' },
			{ tap: 'Đăng nhập', then: 'Người dân dùng tài khoản VNeID' },
			{ tap: 'Tài khoản định danh điện tử cấp bởi Bộ Công an', then: 'Trang đăng nhập VNeID' },
			{ miss: 'Thẻ Mã QR', feedback: 'cần một máy khác' },
			{ tap: 'Đăng nhập', then: '381592' },
			{ type: '381592', then: 'gõ "khai sinh"' },
			{ first: 'giấy tờ', message: 'Chưa thấy chữ', type: 'khai sinh', then: 'Có 3 kết quả' },
			{ miss: 'Đăng ký lại khai sinh', feedback: 'đăng ký lần đầu' },
			{ tap: 'Đăng ký khai sinh', then: 'Trang thủ tục' },
			{ tap: 'Nộp trực tuyến', then: 'Còn thiếu họ tên' },
			{ first: 'Khang1', message: 'chỉ có chữ', type: 'Nguyễn Minh Khang', then: 'chưa có tệp' },
			{ miss: 'Nộp hồ sơ', feedback: 'Chưa đính kèm giấy chứng sinh' },
			{ tap: 'Chọn tệp cho Giấy chứng sinh', then: 'bảng chọn ảnh' },
			{ miss: 'Ảnh hoa-don-dien.jpg', feedback: 'hóa đơn tiền điện' },
			{ tap: 'Ảnh giay-chung-sinh.jpg', then: 'đã đính kèm' },
			{ tap: 'Nộp hồ sơ' }
		],
		end: 'Chép mã hồ sơ vào sổ'
	},
	{
		name: 'VietQR',
		lesson: '/courses/thanh-toan-khong-dung-tien-mat/thuc-hanh-quet-ma-vietqr',
		practice: 'quet-ma-vietqr',
		shot: { step: 'doc-ten' },
		acts: [
			{ tap: 'Quét QR', then: 'Camera đã bật' },
			{ tap: 'Mã QR trên quầy', then: 'người nhận LE VAN TUAN' },
			// The risky choice: confirming leads to the explanation, and back.
			{ tap: 'Xác nhận', then: 'Khoan đã!' },
			{ tap: 'Quay lại', then: 'người nhận LE VAN TUAN' },
			{ tap: 'Hủy', then: 'chưa có tiền nào đi' },
			{ miss: 'Chuyển luôn, chắc là người nhà cô Hoa', feedback: 'Đừng đoán' },
			{ tap: 'Báo cô Hoa, nhờ cô mở mã QR của cô', then: 'người nhận TRAN THI HOA' },
			{ tap: 'Xác nhận' }
		],
		end: 'luôn đọc tên người nhận'
	},
	{
		name: 'Lừa đảo',
		lesson: '/courses/an-toan-tren-mang/thuc-hanh-nhan-dien-lua-dao',
		practice: 'ba-tinh-huong-lua-dao',
		shot: { step: 'tin-dien' },
		acts: [
			{ tap: 'Chuyển 5 triệu để xác minh', then: 'không bao giờ bảo người dân chuyển tiền' },
			{ tap: 'Quay lại', then: 'Tình huống 1 trên 3' },
			{ tap: 'Tắt máy', then: 'gọi ai để hỏi' },
			{ miss: 'Gọi lại số vừa gọi', feedback: 'Số đó là của kẻ gian' },
			{ tap: 'Gọi Công an xã, số đã lưu từ bảng tin của xã', then: 'Công an không gọi điện đòi tiền' },
			{ tap: 'Tiếp tục', then: 'Tình huống 2 trên 3' },
			{ tap: 'Bấm đường link, trả cho kịp', then: 'đó là tin nhắn giả' },
			{ tap: 'Quay lại', then: 'Tình huống 2 trên 3' },
			{ tap: 'Xem hóa đơn trong ứng dụng điện lực hoặc gọi tổng đài in trên hóa đơn', then: 'không còn nợ' },
			{ tap: 'Tiếp tục', then: 'Tình huống 3 trên 3' },
			{ tap: 'Nhắn lại hỏi cho rõ', then: 'số của bạn còn dùng' },
			{ tap: 'Quay lại', then: 'Tình huống 3 trên 3' },
			{ tap: 'Không trả lời, báo 156 rồi xóa tin' }
		],
		end: 'cả ba lần'
	}
];

/** Bytes that crossed the wire (headers and body as sent) for every request the page made since the last call. */
function wireMeter(page: Page) {
	let pending: Promise<number>[] = [];
	const onDone = (r: Request) => pending.push(r.sizes().then((s) => s.responseHeadersSize + s.responseBodySize + s.requestHeadersSize + s.requestBodySize));
	page.on('requestfinished', onDone);
	return async () => {
		const done = pending;
		pending = [];
		return (await Promise.all(done)).reduce((a, b) => a + b, 0);
	};
}

/** Plays one practice from its lesson's link to its end, as a first-time learner; prints time and weight. */
async function play(page: Page, testInfo: TestInfo, walk: Walk, js: boolean) {
	const errors: string[] = [];
	let refused = 0;
	page.on('response', (r) => {
		// A rejected entry is answered 400 with the form shown again; anything else above 400 is a fault.
		if (r.status() === 400 && r.request().method() === 'POST' && r.url().endsWith('&/input')) refused++;
		else if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
	});
	const weigh = wireMeter(page);
	const steps: number[] = [];
	const started = Date.now();

	await page.goto(walk.lesson);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const lessonBytes = await weigh();
	await page.getByRole('link', { name: 'Bắt đầu thực hành' }).click();
	await page.waitForLoadState('load');
	// The card's link opens the practice at its instruction and screen.
	await expect(page).toHaveURL(new RegExp(`/thuc-hanh/${walk.practice}#thuc-hanh$`));
	let loads = 0;
	if (js) {
		// The script has taken over: from here on no page is loaded, every step is drawn in place.
		await expect(page.locator('#practice-live')).toBeAttached();
		page.on('framenavigated', (f) => {
			if (f === page.mainFrame()) loads++;
		});
	}
	const say = page.locator('#practice-say');
	// At 360x800 the first step shows its instruction and every tap target without scrolling, however long the
	// instruction (the page opens at the practice, below the site's header and the practice's heading).
	await expect
		.poll(() =>
			page.evaluate(() => {
				const boxes = [...document.querySelectorAll('#practice-say, .practice-target')].map((e) => e.getBoundingClientRect());
				return boxes.every((b) => b.top >= 0 && b.bottom <= innerHeight);
			})
		)
		.toBe(true);
	steps.push(await weigh());

	for (const act of walk.acts) {
		if ('miss' in act) {
			const before = await say.textContent();
			await page.getByRole('button', { name: act.miss, exact: true }).click();
			await page.waitForLoadState('load');
			const alert = page.locator('.practice-wrong');
			await expect(alert).toContainText('Chưa đúng.');
			await expect(alert).toContainText(act.feedback);
			// Still on the same step: the instruction has not changed.
			await expect(say).toHaveText(before!);
		} else if ('tap' in act) {
			await page.getByRole('button', { name: act.tap, exact: true }).click();
			await page.waitForLoadState('load');
			if (act.then) await expect(say).toContainText(act.then);
		} else {
			const field = page.locator('#practice-value');
			if (act.first) {
				await field.fill(act.first);
				await page.getByRole('button', { name: 'Tiếp tục' }).click();
				await page.waitForLoadState('load');
				await expect(page.locator('#practice-message')).toContainText(act.message!);
				// What the learner typed is kept.
				await expect(page.locator('#practice-value')).toHaveValue(act.first);
				steps.push(await weigh());
			}
			await page.locator('#practice-value').fill(act.type);
			await page.getByRole('button', { name: 'Tiếp tục' }).click();
			await page.waitForLoadState('load');
			if (act.then) await expect(say).toContainText(act.then);
		}
		steps.push(await weigh());
	}
	const done = page.getByRole('status');
	await expect(done).toContainText('Hoàn thành.');
	await expect(done).toContainText(walk.end);
	await expect(page.getByRole('link', { name: 'Quay lại bài học' })).toBeVisible();
	const seconds = (Date.now() - started) / 1000;
	expect(errors).toEqual([]);
	// Without JavaScript each rejected entry is a 400 answer; with it, entries are checked in the page.
	expect(refused).toBe(js ? 0 : walk.acts.filter((a) => 'first' in a && a.first).length);
	if (js) {
		expect(loads).toBe(0);
		// The run is sent at the end, replayed and counted on the server.
		await expect(page.getByText('Đã ghi nhận: bạn đã làm xong bài thực hành này.')).toBeVisible();
	}

	// The practice's pages stay light: no step above 30 KB on the wire (the first one carries the styles and the screen).
	expect(Math.max(...steps)).toBeLessThan(30 * 1024);
	const total = steps.reduce((a, b) => a + b, 0);
	console.log(
		`practice ${walk.name} (${js ? 'JavaScript' : 'no JavaScript'}): ${steps.length} pages in ${seconds.toFixed(1)} s; lesson page ${lessonBytes} B; ` +
			`steps ${steps.join(' ')} B; practice total ${total} B, largest step ${Math.max(...steps)} B`
	);
	await testInfo.attach(`${walk.practice}${js ? '-js' : ''}-weight.json`, { body: JSON.stringify({ seconds, lessonBytes, steps, total }), contentType: 'application/json' });
}

test.describe('practice lessons without JavaScript', { tag: '@phone-only' }, () => {
	test.use({ javaScriptEnabled: false });

	for (const walk of walks) {
		test(`${walk.name}: played to its end at 360 px`, async ({ page }, testInfo) => play(page, testInfo, walk, false));
	}

	test('step pages are clean for axe and screenshot well at 360 px', async ({ browser }, testInfo) => {
		// axe runs its script in the page, so this context allows scripts.
		const context = await browser.newContext({ viewport: { width: 360, height: 800 }, javaScriptEnabled: true });
		const page = await context.newPage();
		for (const walk of walks) {
			const query = `?buoc=${walk.shot.step}${walk.shot.wrong === undefined ? '' : `&sai=${walk.shot.wrong}`}`;
			await page.goto(`${walk.lesson}/thuc-hanh/${walk.practice}${query}`);
			await expect(page.locator('.practice-screen img')).toBeVisible();
			expect(await page.locator('.practice-screen img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
			if (walk.shot.wrong !== undefined) await expect(page.locator('.practice-wrong')).toBeVisible();
			const found = (await axeViolations(page)).map((v) => `${walk.name}: ${v}`);
			expect(found, found.join('\n')).toEqual([]);
			await page.screenshot({ path: testInfo.outputPath(`${walk.practice}.png`), fullPage: true });
		}
		await context.close();
	});
});

test.describe('practice lessons with JavaScript', { tag: '@phone-only' }, () => {
	for (const walk of walks) {
		test(`${walk.name}: played to its end at 360 px without page loads`, async ({ page }, testInfo) => play(page, testInfo, walk, true));
	}
});
