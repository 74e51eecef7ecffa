/** Vietnamese labels for values stored in English codes. */
export const AUDIENCE_LABELS: Record<string, string> = {
	citizen: 'Người dân',
	civil_servant: 'Cán bộ, công chức, viên chức',
	team_member: 'Tổ công nghệ số cộng đồng'
};

export const LEVEL_LABELS: Record<string, string> = {
	basic: 'Cơ bản',
	intermediate: 'Trung cấp',
	advanced: 'Nâng cao'
};

export function minutesLabel(n: number): string {
	return n >= 60 ? `${Math.floor(n / 60)} giờ${n % 60 ? ` ${n % 60} phút` : ''}` : `${n} phút`;
}
