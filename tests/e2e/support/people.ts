// The people of an end-to-end test, made the way real people are: registering in the app, given a role from the
// shell (`npm run user:grant`, as the README says), hamlets and targets added on the officials' pages. Shared by
// the specs so that each says only what it checks.
import { spawn } from 'node:child_process';
import { axeViolations } from './axe';
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'lúa chín vàng đồng';
/** Xã Vân Canh, Gia Lai (2025): the commune of the fixture people. */
export const COMMUNE_CODE = '21994';
export const COMMUNE_LABEL = 'Xã Vân Canh, tỉnh Gia Lai';
export const CIVIL_SERVANT = 'Cán bộ, công chức, viên chức';
export const CITIZEN = 'Người dân';

let counter = 0;
/** A phone number no other test of this run has used (the worker's process id keeps two workers' numbers apart). */
export function freshPhone(): string {
	const n = (Date.now() * 13 + counter++ * 7919 + process.pid * 104_729 + Math.floor(Math.random() * 1000)) % 1e8;
	return `09${String(n).padStart(8, '0')}`;
}

export interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a command to its end, keeping what it printed. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/**
 * `npm run user:grant -- <login> <role> [unit code]` against the app's database, as an operator does it; the
 * command must succeed (its error output is the failure message). Returns what it printed.
 */
export async function grantRole(dbUrl: string, login: string, role: string, unitCode?: string): Promise<RunResult> {
	const r = await run('npm', ['run', '--silent', 'user:grant', '--', login, role, ...(unitCode ? [unitCode] : [])], { ...process.env, DATABASE_URL: dbUrl });
	expect(r.code, r.stderr).toBe(0);
	return r;
}

export interface NewPerson {
	name: string;
	phone: string;
	/** The audience radio's label; a civil servant by default. */
	audience?: string;
	/** Where they live or work, found with the unit search: what is typed, then the radio chosen. */
	unit?: { query: string; label: string } | null;
	/** Where the app runs when it is not the page's base URL. */
	origin?: string;
}

/**
 * Registers on /register without JavaScript's help, as the form works on any phone: the unit search is a form
 * post, after which the passwords are typed again. By default a civil servant of xã Vân Canh.
 */
export async function register(page: Page, p: NewPerson): Promise<void> {
	const unit = p.unit === undefined ? { query: 'van canh', label: COMMUNE_LABEL } : p.unit;
	await page.goto(`${p.origin ?? ''}/register`);
	await page.getByLabel('Họ và tên').fill(p.name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(p.phone);
	await page.getByRole('radio', { name: p.audience ?? CIVIL_SERVANT }).check();
	if (unit) {
		await page.getByLabel('Tìm theo tên').fill(unit.query);
		await page.getByRole('button', { name: 'Tìm' }).click();
	}
	await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
	if (unit) await page.getByRole('radio', { name: unit.label }).check();
	await page.getByRole('checkbox', { name: /Tôi đồng ý/ }).check();
	await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
	await expect(page).toHaveURL(/\/account\?welcome=1$/);
}

const AUDIENCE_VALUES: Record<string, string> = { [CITIZEN]: 'citizen', [CIVIL_SERVANT]: 'civil_servant' };

/**
 * Registers by posting the /register form as a browser without JavaScript sends it (the same form action, the same
 * checks, the same session cookie), through the page's own request context, so the page's context is logged in
 * afterwards. For tests that need a registered person rather than a test of registering (that is
 * accounts.spec.ts, on the form itself). The unit is looked up as the picker does, by /api/units. With `username`
 * instead of a phone number, that is the login. The page itself is not moved.
 */
export async function registerByPost(page: Page, p: Omit<NewPerson, 'phone'> & ({ phone: string } | { username: string })): Promise<void> {
	const unit = p.unit === undefined ? { query: 'van canh', label: COMMUNE_LABEL } : p.unit;
	const form: Record<string, string> = {
		full_name: p.name,
		password: PASSWORD,
		password_repeat: PASSWORD,
		audience: AUDIENCE_VALUES[p.audience ?? CIVIL_SERVANT] ?? '',
		consent: 'yes',
		intent: 'register'
	};
	expect(form.audience, `audience ${p.audience}`).not.toBe('');
	if ('phone' in p) form.phone = p.phone;
	else form.username = p.username;
	// Relative addresses go to the context's base URL (the app of the page); the answer says which origin that is.
	const found = await page.request.get(`${p.origin ?? ''}/api/units?q=${encodeURIComponent(unit?.query ?? '')}`);
	expect(found.status()).toBe(200);
	const origin = new URL(found.url()).origin;
	if (unit) {
		const { units } = (await found.json()) as { units: { id: number; label: string }[] };
		const chosen = units.find((u) => u.label === unit.label);
		expect(chosen, `${unit.label} among the units found for "${unit.query}"`).toBeDefined();
		form.unit_q = unit.query;
		form.unit_id = String(chosen!.id);
	}
	const res = await page.request.post(`${origin}/register`, {
		form,
		headers: { origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(res.status(), await res.text()).toBe(303);
	expect(res.headers().location).toBe('/account?welcome=1');
}

/** Contexts opened by newDevicePage and not yet closed. */
const openContexts = new Set<BrowserContext>();

/**
 * A new browser context sized as the test's device (phone or desk) on the given app, and a page in it. The worker's
 * browser keeps a context (and its renderer process) until it is closed: specs close theirs with closeDevicePages
 * after each test (test.afterEach(closeDevicePages)), or themselves.
 */
export async function newDevicePage(browser: Browser, info: TestInfo, origin: string, storageState?: BrowserContextOptions['storageState']): Promise<Page> {
	const { viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = info.project.use;
	const context = await browser.newContext({ viewport, userAgent, isMobile, hasTouch, deviceScaleFactor, baseURL: origin, storageState });
	openContexts.add(context);
	context.on('close', () => openContexts.delete(context));
	return context.newPage();
}

/** Closes every context newDevicePage opened that is still open. */
export async function closeDevicePages(): Promise<void> {
	await Promise.all([...openContexts].map((c) => c.close()));
	openContexts.clear();
}

/** The id of a unit of the official's, from "Đơn vị của tôi" (which opens the unit at once when it is their only one). */
export async function myUnitId(page: Page, label: string): Promise<number> {
	await page.goto('/don-vi');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const only = /\/don-vi\/(\d+)$/.exec(page.url());
	if (only) {
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(label);
		return Number(only[1]);
	}
	const href = await page.getByRole('link', { name: label, exact: true }).getAttribute('href');
	return Number(/^\/don-vi\/(\d+)$/.exec(href ?? '')?.[1]);
}

/** A commune's official adds a hamlet on the commune's hamlet page; its id and code as that page shows them. */
export async function addHamlet(page: Page, communeId: number, type: string, name: string): Promise<{ id: number; code: string }> {
	await page.goto(`/don-vi/${communeId}/thon`);
	await page.getByLabel('Loại').first().selectOption(type);
	await page.getByLabel('Tên (không kèm chữ “thôn”, “làng”)').fill(name);
	await page.getByRole('button', { name: 'Thêm', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(`Đã thêm ${type} ${name}.`);
	const card = page.locator('.card').filter({ has: page.getByRole('heading', { level: 3, name: `${type.charAt(0).toUpperCase()}${type.slice(1)} ${name}` }) });
	const href = await card.getByRole('link').first().getAttribute('href');
	const code = /Mã (\S+)/.exec(await card.innerText())?.[1] ?? '';
	return { id: Number(/^\/don-vi\/(\d+)$/.exec(href ?? '')?.[1]), code };
}

/** The calendar year in Vietnam. */
export function vietnamYear(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
}

/** An official sets a count target on a unit for this year on its target page. */
export async function setTarget(page: Page, unitId: number, t: { title: string; course: string; audience: string; learners: number }): Promise<void> {
	const year = vietnamYear();
	await page.goto(`/don-vi/${unitId}/chi-tieu`);
	await page.getByLabel('Tên chỉ tiêu (không bắt buộc)').fill(t.title);
	await page.getByLabel('Khóa học hoặc chương trình').selectOption({ label: t.course });
	await page.getByLabel('Đối tượng').selectOption({ label: t.audience });
	await page.getByLabel('Từ ngày').fill(`${year}-01-01`);
	await page.getByLabel('Đến ngày').fill(`${year}-12-31`);
	await page.getByLabel('Số người', { exact: true }).fill(String(t.learners));
	await page.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã đặt chỉ tiêu.');
}

/** Nothing wider than the screen: no sideways scrolling on a 360 px phone. */
export async function expectNoSideScroll(page: Page): Promise<void> {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
}

/** axe finds nothing against WCAG 2.2 AA. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	expect(await axeViolations(page)).toEqual([]);
}

/** Both: no sideways scrolling and nothing axe finds. */
export async function expectReadable(page: Page): Promise<void> {
	await expectNoSideScroll(page);
	await expectNoAxeViolations(page);
}
