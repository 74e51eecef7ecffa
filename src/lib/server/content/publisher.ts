import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Content } from './loader';
import { loadContentCached } from './cache';
import { ContentError, formatProblem, type ContentProblem } from './problems';
import { contentFolderName, findLastPublication, publishContent } from './publication';
import { loadContentIds, type ContentIds } from './sync';

export interface PublishedContent extends Content {
	ids: ContentIds;
}

/** What trainers and administrators are told about publishing. */
export interface ContentStatus {
	/** When the version now served was published. */
	publishedAt: Date | null;
	/** Where the version now served came from: the files, or (files with errors at start-up) the database. */
	source: 'files' | 'database' | null;
	/** When the files were last read. */
	checkedAt: Date | null;
	/** Problems the last reading of the files found (errors and warnings). */
	problems: ContentProblem[];
	/** The files have errors: learners keep the version published at `publishedAt`. */
	stale: boolean;
	errorCount: number;
}

export interface PublisherOptions {
	root: string;
	db: () => Promise<Kysely<Database>>;
	/** Requests wait for a reload in progress (development: the page reloaded after a save shows the change). */
	awaitChanges?: boolean;
	log?: { info(msg: string): void; error(msg: string): void };
	onStatus?: (status: ContentStatus) => void;
}

/** Quiet time after the last file event before reading the files (editors write a file in several steps). */
const DEBOUNCE_MS = 300;

/**
 * Keeps the courses served by this process. The first call to `current()` publishes the files (or, when they
 * have errors, serves the last version published in the database); `reload()` reads the files again and
 * publishes them only when they have no error, so a mistake never takes the courses offline. Requests keep
 * being served from the previous version while a reload runs; the new one replaces it in one step.
 */
export class ContentPublisher {
	private served: PublishedContent | undefined;
	private starting: Promise<PublishedContent> | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private pending: Promise<ContentStatus> | undefined;
	private signature = '';
	private dirty = false;
	private debounce: NodeJS.Timeout | undefined;
	private watcher: fs.FSWatcher | undefined;
	private eventsTimer: NodeJS.Timeout | undefined;
	private poller: NodeJS.Timeout | undefined;
	private state: ContentStatus = { publishedAt: null, source: null, checkedAt: null, problems: [], stale: false, errorCount: 0 };

	constructor(private readonly opts: PublisherOptions) {}

	status(): ContentStatus {
		return this.state;
	}

	/** The content now served. Throws ContentError when the files have errors and nothing was ever published. */
	async current(): Promise<PublishedContent> {
		if (this.served) {
			if (this.opts.awaitChanges && (this.dirty || this.pending)) await this.reload();
			return this.served;
		}
		this.starting ??= this.start();
		// A failed start is tried again on the next request (a trainer fixing a file).
		this.starting.catch(() => {
			this.starting = undefined;
		});
		return this.starting;
	}

	/**
	 * Reads the files and publishes them if they have no error. Reloads asked for while one is waiting to run
	 * share it; one asked for while another runs comes after it. With `force` false, unchanged files are skipped.
	 */
	reload(force = true): Promise<ContentStatus> {
		if (this.pending) return this.pending;
		const run = this.queue.then(() => {
			this.pending = undefined;
			return this.runReload(force);
		});
		this.pending = run;
		this.queue = run.catch(() => undefined);
		return run;
	}

	/**
	 * Watches the content folder (file events, and a poll of file times in case events are missed). Outside
	 * development file events start after one poll interval: watching a folder tree costs a walk of it, which the
	 * app's start need not wait for; a change made meanwhile is seen by the poll, which compares with the files as
	 * they were at start.
	 */
	watch(pollMs = 2000): void {
		if (this.poller) return;
		const root = path.resolve(this.opts.root);
		if (this.opts.awaitChanges) this.watchEvents(root);
		else {
			this.eventsTimer = setTimeout(() => this.watchEvents(root), pollMs);
			this.eventsTimer.unref();
		}
		this.poller = setInterval(() => {
			if (!this.dirty && this.served && contentSignature(root) !== this.signature) this.changed();
		}, pollMs);
		this.poller.unref();
	}

	private watchEvents(root: string) {
		try {
			this.watcher = fs.watch(root, { recursive: true }, () => this.changed());
			this.watcher.on('error', () => {
				this.watcher?.close();
				this.watcher = undefined;
			});
			this.watcher.unref();
		} catch {
			// No file events here (some network or container file systems): the poll still sees changes.
		}
	}

	close(): void {
		clearTimeout(this.eventsTimer);
		this.watcher?.close();
		this.watcher = undefined;
		clearInterval(this.poller);
		this.poller = undefined;
		clearTimeout(this.debounce);
	}

	private changed() {
		this.dirty = true;
		clearTimeout(this.debounce);
		this.debounce = setTimeout(() => {
			this.reload(false).catch((e) => this.opts.log?.error(`Không tải lại được nội dung: ${(e as Error).stack ?? e}`));
		}, DEBOUNCE_MS);
		this.debounce.unref();
	}

	private async start(): Promise<PublishedContent> {
		const root = this.opts.root;
		this.signature = contentSignature(path.resolve(root));
		const content = await loadContentCached(root, this.signature);
		const checkedAt = new Date();
		const errors = content.problems.filter((p) => p.severity === 'error');
		const db = await this.opts.db();
		if (errors.length === 0) {
			const ids = await publishContent(db, content);
			this.served = { ...content, ids };
			this.setStatus({ publishedAt: new Date(), source: 'files', checkedAt, problems: content.problems, stale: false, errorCount: 0 });
			return this.served;
		}
		const last = await findLastPublication(db);
		// The build's publication of another folder is not this folder's last good version: nothing was published yet.
		if (!last || (last.snapshot.builtFrom !== undefined && last.snapshot.builtFrom !== contentFolderName(root))) throw new ContentError(content.problems);
		const ids = await loadContentIds(db);
		this.served = { root, courses: last.snapshot.courses, problems: content.problems, ids };
		this.setStatus({ publishedAt: last.publishedAt, source: 'database', checkedAt, problems: content.problems, stale: true, errorCount: errors.length });
		this.opts.log?.error(staleMessage(content.problems, last.publishedAt));
		return this.served;
	}

	private async runReload(force: boolean): Promise<ContentStatus> {
		if (!this.served) {
			this.dirty = false;
			await this.current();
			return this.state;
		}
		const root = this.opts.root;
		const signature = contentSignature(path.resolve(root));
		this.dirty = false;
		if (!force && signature === this.signature) return this.state;
		this.signature = signature;
		const content = await loadContentCached(root, signature);
		const checkedAt = new Date();
		const errors = content.problems.filter((p) => p.severity === 'error');
		if (errors.length) {
			this.setStatus({ ...this.state, checkedAt, problems: content.problems, stale: true, errorCount: errors.length });
			this.opts.log?.error(staleMessage(content.problems, this.state.publishedAt));
			return this.state;
		}
		const ids = await publishContent(await this.opts.db(), content);
		this.served = { ...content, ids };
		this.setStatus({ publishedAt: new Date(), source: 'files', checkedAt, problems: content.problems, stale: false, errorCount: 0 });
		const lessons = content.courses.reduce((n, c) => n + c.lessons.length, 0);
		this.opts.log?.info(`Đã xuất bản nội dung: ${content.courses.length} khóa học, ${lessons} bài.`);
		return this.state;
	}

	private setStatus(status: ContentStatus) {
		this.state = status;
		this.opts.onStatus?.(status);
	}
}

function staleMessage(problems: ContentProblem[], publishedAt: Date | null): string {
	const errors = problems.filter((p) => p.severity === 'error');
	const when = publishedAt ? ` (xuất bản lúc ${publishedAt.toISOString()})` : '';
	return (
		`Nội dung khóa học có ${errors.length} lỗi nên chưa được xuất bản; người học vẫn thấy bản trước${when}:\n` +
		errors.map(formatProblem).join('\n')
	);
}

/** Names, sizes and times of every file under `dir`: changes when any file is added, removed or written. */
export function contentSignature(dir: string): string {
	const h = createHash('sha1');
	const walk = (d: string) => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(d, { withFileTypes: true });
		} catch {
			return;
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : 1));
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else {
				try {
					const st = fs.statSync(p);
					h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
				} catch {
					// removed while walking
				}
			}
		}
	};
	walk(dir);
	return h.digest('hex');
}
