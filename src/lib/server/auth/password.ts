import { normalizeVietnameseTone, toOlderTonePlacement } from '$lib/vietnamese-tone';

export const PASSWORD_MIN_LENGTH = 8;
// Hashing very long input is slow on purpose: cap it so a request cannot tie up the server.
export const PASSWORD_MAX_LENGTH = 128;

// Passwords people in Vietnam pick most often; refused although long enough.
const COMMON = new Set([
	'12345678', '123456789', '1234567890', '87654321', '11111111', '00000000', '88888888', '66666666', '99999999',
	'12341234', '11223344', 'password', 'password1', 'matkhau', 'matkhau1', 'matkhau123', 'abc12345', 'abcd1234',
	'qwertyui', 'qwerty123', 'iloveyou', 'anhyeuem', 'emyeuanh', 'vietnam1', 'hocso123', '123456aa', 'aa123456'
]);

/** Returns a Vietnamese message saying what is wrong with a new password, or null when it is acceptable. */
export function checkPasswordPolicy(password: string): string | null {
	if (password.length < PASSWORD_MIN_LENGTH) return `Mật khẩu cần có ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`;
	if (password.length > PASSWORD_MAX_LENGTH) return `Mật khẩu dài quá: tối đa ${PASSWORD_MAX_LENGTH} ký tự.`;
	if (COMMON.has(password.toLowerCase())) return 'Mật khẩu này quá dễ đoán. Hãy chọn mật khẩu khác, ví dụ ghép vài từ dễ nhớ.';
	return null;
}

/**
 * The form of a password that is hashed: NFC, with Vietnamese tone marks in one place, so that "hoà bình" and
 * "hòa bình", typed on any keyboard, are the same password. Hashes made this way have version 1.
 */
export const PASSWORD_VERSION = 1;
export function canonicalPassword(password: string): string {
	return normalizeVietnameseTone(password);
}

/** The argon2 binding, loaded when a password is first hashed or checked rather than at every start. */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

// argon2id with the library defaults (19 MiB, 2 passes, 1 lane): OWASP's recommended minimum.
export async function hashPassword(password: string): Promise<string> {
	const { hash } = await loadArgon2();
	return hash(canonicalPassword(password));
}

/**
 * Whether the password matches a hash of the given version. A version-0 hash was made from the password as typed
 * (NFC only), so the canonical form, the older tone placement and the typed form are each tried; the caller
 * rehashes (setPasswordHash) after a match so that the next login needs one check.
 */
export async function verifyPassword(passwordHash: string, password: string, version: number = PASSWORD_VERSION): Promise<boolean> {
	if (password.length > PASSWORD_MAX_LENGTH) return false;
	const canonical = canonicalPassword(password);
	const candidates = version >= PASSWORD_VERSION ? [canonical] : [...new Set([canonical, toOlderTonePlacement(canonical), password.normalize('NFC')])];
	const { verify } = await loadArgon2();
	for (const candidate of candidates) {
		try {
			if (await verify(passwordHash, candidate)) return true;
		} catch {
			return false;
		}
	}
	return false;
}

// Verified against when the account does not exist, so a wrong name takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function verifyDummyPassword(password: string): Promise<false> {
	dummyHash ??= loadArgon2().then(({ hash }) => hash('hoc-so-no-such-account'));
	await verifyPassword(await dummyHash, password);
	return false;
}
