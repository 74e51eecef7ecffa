/**
 * The consent a team member reads out to a villager before registering them, in plain words, as Law 91/2025/QH15
 * on personal data protection and Decree 356/2025/NĐ-CP ask: what is collected, why, who sees it, that the person
 * may refuse, ask to see, correct or delete it. A changed text gets a new version; records keep the version agreed to.
 */
export const ASSISTED_CONSENT = {
	version: 'ho-tro-dang-ky-2026-12',
	points: [
		'Học Số ghi họ tên, năm sinh, thôn (tổ) nơi bác/anh/chị ở, số điện thoại nếu có, và kết quả học.',
		'Để làm gì: để bác/anh/chị học tiếp được, nhận giấy chứng nhận khi học xong, và để xã, thôn biết bao nhiêu người đã học.',
		'Ai xem được: bác/anh/chị, tổ công nghệ số cộng đồng của thôn và cán bộ phụ trách của xã. Không bán, không đưa cho người khác.',
		'Bác/anh/chị có thể không đồng ý; khi đó không tạo tài khoản, vẫn học được không cần tài khoản.',
		'Sau này bác/anh/chị có thể xem, sửa hoặc xóa thông tin của mình, tự làm trên trang Tài khoản hoặc nhờ tổ công nghệ số giúp.'
	]
} as const;
