// axe-core's check of a page against WCAG A/AA, shared by the specs.
//
// AxeBuilder's default run injects axe-core (580 kB) into the page, runs it frame by frame and then opens a blank
// page in the same context to merge the frames' results, injecting axe-core there too: about 1.4 s a page on a
// 2-core machine, of which the check itself is a fifth. The app's pages have no cross-origin frames (the lesson
// preview's frame is the app's own), so the in-page run (legacy mode: axe.run, which reaches same-origin frames) sees
// everything the default run does; it injects axe-core twice per frame, and the second injection is skipped when the
// frame already has it. Same rules, same results, about 0.6 s a page.
import AxeBuilder from '@axe-core/playwright';
import axe from 'axe-core';
import type { Page } from '@playwright/test';

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const SOURCE = `if (!window.axe) {\n${axe.source}\n}`;

/** What axe finds on the page as it is now, one line per rule broken: rule id, count, and the elements. */
export async function axeViolations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page, axeSource: SOURCE }).options({ resultTypes: ['violations'] }).withTags(WCAG_AA).setLegacyMode().analyze();
	return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
