import { formatCode } from '$lib/server/teams/codes';
import { qrSvg } from '$lib/server/teams/qr';
import { formatDueDate } from '$lib/server/learning/due-date';

/** What a printed setup slip shows: whose it is, how they log in, the code (in clear, this once) and its QR. */
export interface SetupSlip {
	fullName: string;
	login: string;
	unitLabel: string;
	position: string | null;
	code: string;
	expires: string;
	url: string;
	qrSvg: string;
}

/** Printable slips for newly issued setup codes: the QR opens /lay-lai-mat-khau with the code filled in. */
export async function setupSheet(
	origin: string,
	people: { fullName: string; login: string; unitLabel: string; position: string | null; code: string; expiresAt: Date }[]
): Promise<SetupSlip[]> {
	return Promise.all(
		people.map(async (p) => {
			const code = formatCode(p.code);
			const url = `${origin}/lay-lai-mat-khau?ma=${code}`;
			return { fullName: p.fullName, login: p.login, unitLabel: p.unitLabel, position: p.position, code, expires: formatDueDate(p.expiresAt), url, qrSvg: await qrSvg(url) };
		})
	);
}
