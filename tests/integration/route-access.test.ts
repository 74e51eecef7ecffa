import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDbKind } from './support/test-db';
import { openAppTestDatabase } from './support/app-db';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { grantRole, type Role } from '../../src/lib/server/auth/roles';
import { getUserById, type User } from '../../src/lib/server/auth/user';

// Every route file with server code, and who may use it. A route file missing here fails the test: whoever adds a
// page says who may open it, and this test runs its load and every action (POSTs sent straight to the action,
// without the page) as each kind of person.
//
// - public: anyone, by design (the reason is given); not run here.
// - user: any logged-in account.
// - admin: administrators only.
// - trainer: trainers (of any unit) and administrators.
// - official-any: an official of any unit, or an administrator (pages that list the person's own units).
// - course-analytics: trainers and officials of any unit, and administrators (aggregates of a course, no person named;
//   a unit filter must lie in their scope: tests/integration/analytics-report.test.ts, and for the practice figures
//   tests/integration/practice-route.test.ts).
// - unit-official: an official whose scope holds the unit in the URL (itself or a unit above), or an administrator.
type Rule = { access: 'user' | 'admin' | 'trainer' | 'official-any' | 'unit-official' | 'course-analytics' } | { access: 'public'; why: string };

const ROUTES: Record<string, Rule> = {
	'/src/routes/+page.server.ts': { access: 'public', why: 'home page' },
	'/src/routes/api/units/+server.ts': { access: 'public', why: 'unit search for the registration form: public names and codes only' },
	'/src/routes/assets/videojs/[version]/[...file]/+server.ts': { access: 'public', why: 'video player files' },
	'/src/routes/courses/+page.server.ts': { access: 'public', why: 'course catalog' },
	'/src/routes/courses/[course]/+page.server.ts': { access: 'public', why: 'a course page' },
	'/src/routes/courses/[course]/offline.json/+server.ts': { access: 'public', why: 'what to store of a course for offline use: its public pages and files, version and size' },
	'/src/routes/courses/[course]/[lesson]/+page.server.ts': { access: 'public', why: 'lessons and quizzes; a visitor becomes a guest' },
	'/src/routes/login/+page.server.ts': { access: 'public', why: 'logging in' },
	'/src/routes/logout/+page.server.ts': { access: 'public', why: 'ends the session of whoever asks' },
	'/src/routes/media/[course]/[...path]/+server.ts': { access: 'public', why: 'lesson media' },
	'/src/routes/register/+page.server.ts': { access: 'public', why: 'registering' },
	'/src/routes/text-size/+server.ts': { access: 'public', why: 'larger text cookie' },
	'/src/routes/courses/[course]/[lesson]/thuc-hanh/[practice]/buoc.json/+server.ts': { access: 'public', why: "a practice's steps for the script that plays it (the pages show every target anyway); a run sent is replayed and counted for whoever plays, a visitor becoming a guest" },
	'/src/routes/courses/[course]/[lesson]/thuc-hanh/[practice]/+page.server.ts': { access: 'public', why: 'practice on simulated screens: published lesson content; right taps stay on the server' },
	'/src/routes/preview/[course]/[lesson]/+page.server.ts': { access: 'public', why: 'lesson preview: development only (404 in a built app), published lesson content' },
	'/src/routes/verify/+page.server.ts': { access: 'public', why: 'record verification' },
	'/src/routes/verify/[code]/+page.server.ts': { access: 'public', why: 'record verification' },
	'/src/routes/the/+page.server.ts': { access: 'public', why: 'logging in with a card code and PIN' },
	'/src/routes/the/[code]/+page.server.ts': { access: 'public', why: "a login card's QR link: asks for the PIN" },
	'/src/routes/lay-lai-mat-khau/+page.server.ts': { access: 'public', why: 'using a reset code given by a team member' },
	'/src/routes/doi-nguoi-hoc/+page.server.ts': { access: 'public', why: "switching learner on a shared phone: each needs their own PIN or password" },
	'/src/routes/account/+page.server.ts': { access: 'user' },
	'/src/routes/account/export/+server.ts': { access: 'user' },
	'/src/routes/my/+page.server.ts': { access: 'user' },
	'/src/routes/records/[code]/+page.server.ts': { access: 'user' },
	'/src/routes/admin/assignments/+page.server.ts': { access: 'admin' },
	'/src/routes/phan-tich/[course]/thuc-hanh/+page.server.ts': { access: 'course-analytics' },
	'/src/routes/admin/content/+page.server.ts': { access: 'trainer' },
	'/src/routes/admin/records/+page.server.ts': { access: 'admin' },
	'/src/routes/don-vi/+page.server.ts': { access: 'official-any' },
	'/src/routes/phan-tich/+page.server.ts': { access: 'course-analytics' },
	'/src/routes/phan-tich/[course]/+page.server.ts': { access: 'course-analytics' },
	'/src/routes/phan-tich/[course]/xuat/+server.ts': { access: 'course-analytics' },
	'/src/routes/don-vi/[unit=id]/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/vai-tro/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/thon/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nhat-ky/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/thong-ke/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/thong-ke/xuat/+server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/chi-tieu/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/chi-tieu/[target=id]/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/dan-so/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/chuong-trinh/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/huyen-cu/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nhap-danh-sach/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nhap-danh-sach/mau.csv/+server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nhap-danh-sach/[import=id]/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/giao-khoa-hoc/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/qua-han/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/qua-han/xuat/+server.ts': { access: 'unit-official' },
	// The community team's pages: also open to team members of the unit (tests/integration/team-pages.test.ts).
	'/src/routes/don-vi/[unit=id]/nguoi-dan/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nguoi-dan/dang-ky/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nguoi-dan/in-the/+page.server.ts': { access: 'unit-official' },
	'/src/routes/don-vi/[unit=id]/nguoi-dan/[user=id]/+page.server.ts': { access: 'unit-official' }
};

const pageModules = import.meta.glob<Record<string, unknown>>('/src/routes/**/+page.server.ts');
const serverModules = import.meta.glob<Record<string, unknown>>('/src/routes/**/+server.ts');
const allModules = { ...pageModules, ...serverModules };

type Persona = 'none' | 'learner' | 'trainer' | 'other-official' | 'parent-official' | 'unit-official' | 'admin';
const PERSONAS: Persona[] = ['none', 'learner', 'trainer', 'other-official', 'parent-official', 'unit-official', 'admin'];
type Outcome = 'login' | 'forbidden' | 'allowed';

function expected(rule: Rule, p: Persona): Outcome {
	if (p === 'none') return 'login';
	switch (rule.access) {
		case 'user':
			return 'allowed';
		case 'admin':
			return p === 'admin' ? 'allowed' : 'forbidden';
		case 'trainer':
			return p === 'trainer' || p === 'admin' ? 'allowed' : 'forbidden';
		case 'official-any':
			return p === 'learner' || p === 'trainer' ? 'forbidden' : 'allowed';
		case 'course-analytics':
			return p === 'learner' ? 'forbidden' : 'allowed';
		case 'unit-official':
			return p === 'learner' || p === 'trainer' || p === 'other-official' ? 'forbidden' : 'allowed';
		default:
			throw new Error('public routes are not run');
	}
}

describe(`every route checks who may use it (${testDbKind})`, () => {
	let db: DbHandle['db'];
	let close: () => Promise<void>;
	const users = new Map<Persona, User | null>();
	let unitId: number;

	beforeAll(async () => {
		process.env.HOCSO_CONTENT_DIR = 'tests/fixtures/content';
		({ db, close } = await openAppTestDatabase());
		await importSeedUnitsIfEmpty(db);
		const current = async (code: string) =>
			(await db.selectFrom('unit').select('id').where('code', '=', code).where('valid_to', 'is', null).executeTakeFirstOrThrow()).id;
		unitId = await current('21994'); // xã Vân Canh
		const make = async (name: string, role?: Role, unit?: number | null) => {
			const { id } = await db.insertInto('app_user').values({ kind: 'learner', full_name: name, audience: 'civil_servant' }).returning('id').executeTakeFirstOrThrow();
			if (role) await grantRole(db, id, role, unit ?? null);
			return (await getUserById(db, id))!;
		};
		users.set('none', null);
		users.set('learner', await make('Người học'));
		users.set('trainer', await make('Giảng viên xã Vân Canh', 'trainer', unitId));
		users.set('other-official', await make('Cán bộ phường Quy Nhơn', 'official', await current('21583')));
		users.set('parent-official', await make('Cán bộ tỉnh Gia Lai', 'official', await current('52')));
		users.set('unit-official', await make('Cán bộ xã Vân Canh', 'official', unitId));
		users.set('admin', await make('Quản trị viên', 'admin'));
	});
	afterAll(async () => close?.());

	test('every route file is listed, and every listed file exists', () => {
		const files = Object.keys(allModules).sort();
		expect(files.filter((f) => !(f in ROUTES)), 'route files with no access rule in this test').toEqual([]);
		expect(Object.keys(ROUTES).filter((f) => !(f in allModules)), 'rules for files that no longer exist').toEqual([]);
	});

	function eventFor(file: string, persona: Persona, method: string, action?: string) {
		const user = users.get(persona) ?? null;
		const routeId = file.replace('/src/routes', '').replace(/\/\+(page\.server|server)\.ts$/, '') || '/';
		const params: Record<string, string> = {};
		const path = routeId.replace(/\[(?:\.\.\.)?(\w+)(?:=\w+)?\]/g, (_, name: string) => {
			params[name] = name === 'unit' ? String(unitId) : 'khong-co';
			return params[name];
		});
		const url = new URL(`http://localhost${path || '/'}${action ? `?/${action}` : ''}`);
		const headers = new Headers({ accept: 'text/html', origin: 'http://localhost' });
		const request = new Request(url, method === 'POST' ? { method, headers, body: new FormData() } : { method, headers });
		return {
			locals: { user, session: user ? { id: 'route-access-test', userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } : null },
			params,
			url,
			route: { id: routeId },
			request,
			cookies: { get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, serialize: () => '' },
			getClientAddress: () => '127.0.0.1',
			setHeaders: () => {},
			fetch,
			parent: async () => ({}),
			depends: () => {},
			untrack: <T>(fn: () => T) => fn(),
			isDataRequest: false,
			isSubRequest: false,
			platform: undefined
		};
	}

	async function outcome(run: () => unknown): Promise<Outcome> {
		try {
			const result = await run();
			if (isActionFailure(result) && result.status === 403) return 'forbidden';
			return 'allowed';
		} catch (e) {
			if (isRedirect(e)) return e.location.startsWith('/login') ? 'login' : 'allowed';
			if (isHttpError(e)) return e.status === 403 ? 'forbidden' : e.status === 401 ? 'login' : 'allowed';
			throw e;
		}
	}

	const guarded = Object.entries(ROUTES).filter(([, rule]) => rule.access !== 'public');

	test.each(guarded)('%s: load and every action, for each kind of person', async (file, rule) => {
		const mod = await allModules[file]();
		const calls: [string, string, (event: unknown) => unknown][] = [];
		if (typeof mod.load === 'function') calls.push(['load', 'GET', mod.load as (e: unknown) => unknown]);
		for (const [name, fn] of Object.entries((mod.actions ?? {}) as Record<string, (e: unknown) => unknown>)) calls.push([`action ${name}`, 'POST', fn]);
		for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) if (typeof mod[m] === 'function') calls.push([m, m, mod[m] as (e: unknown) => unknown]);
		expect(calls.length, `${file} exports nothing to run`).toBeGreaterThan(0);
		const got: string[] = [];
		const want: string[] = [];
		for (const [name, method, fn] of calls) {
			for (const p of PERSONAS) {
				const action = name.startsWith('action ') ? name.slice(7) : undefined;
				got.push(`${name} as ${p}: ${await outcome(() => fn(eventFor(file, p, method, action)))}`);
				want.push(`${name} as ${p}: ${expected(rule, p)}`);
			}
		}
		expect(got).toEqual(want);
	});
});
