/** Result of reading a phone number a person typed. */
export type PhoneResult = { ok: true; phone: string } | { ok: false; message: string };

// Vietnamese mobile prefixes since the 2018 renumbering: 03x Viettel, 05x Vietnamobile/Gmobile/Reddi,
// 07x MobiFone, 08x VinaPhone/Viettel/MobiFone/Itelecom, 09x all networks.
const MOBILE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$/;

export const PHONE_MESSAGE = 'Số điện thoại chưa đúng. Hãy nhập số di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678.';

/**
 * Normalises a Vietnamese mobile number to 10 digits starting with 0: "0912 345 678", "0912.345.678",
 * "+84 912 345 678" and "84912345678" all give "0912345678". Anything else is refused with a message.
 */
export function normalizePhone(input: string): PhoneResult {
	let s = input.trim().replace(/[\s.\-()]/g, '');
	if (s.startsWith('+84')) s = s.slice(3);
	else if (s.startsWith('0084')) s = s.slice(4);
	else if (/^84\d{9}$/.test(s)) s = s.slice(2);
	else if (s.startsWith('0')) s = s.slice(1);
	else return { ok: false, message: PHONE_MESSAGE };
	// "+84 0912..." is a common way of writing it too.
	if (s.length === 10 && s.startsWith('0')) s = s.slice(1);
	const phone = `0${s}`;
	return MOBILE.test(phone) ? { ok: true, phone } : { ok: false, message: PHONE_MESSAGE };
}

/** Whether what was typed in a "phone or username" box is meant as a phone number (only digits and separators). */
export function looksLikePhone(input: string): boolean {
	return /^[+\d][\d\s.\-()]*$/.test(input.trim());
}
