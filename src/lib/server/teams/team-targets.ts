import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { getUnitFacts, planCounting, readPageFigures, type Figure } from '$lib/server/stats/counting';
import { listSubjectOptions, targetAsks, viewTargets, type TargetView } from '$lib/server/stats/dashboard';
import { listTargetsOfUnit } from '$lib/server/stats/targets';
import { listUnitAncestors } from '$lib/server/units/search';

/** A target set on a unit above the team's (the commune, the province), with what the team's unit adds to it. */
export interface TargetAbove extends TargetView {
	/** The team's unit's own learners toward it, counted as the officials' figures are. */
	contribution: Figure;
	/** The contribution as a share of the target's goal; null without a goal. */
	contributionShare: number | null;
}

export interface TeamTargets {
	/** Open targets set on the unit itself (its own, and its parts of targets broken down from above). */
	own: TargetView[];
	/** Open targets set on the units above it, nearest first. */
	above: TargetAbove[];
}

/**
 * The open targets that concern a team's unit, with the officials' figures (the same counting and the same views as
 * the statistics pages): the unit's own, and those of every unit above it with the unit's contribution.
 * Aggregates only: no one's personal data.
 */
export async function listTeamTargets(db: Kysely<Database>, unitId: number): Promise<TeamTargets> {
	const [options, ancestors, ownTargets] = await Promise.all([listSubjectOptions(db), listUnitAncestors(db, unitId), listTargetsOfUnit(db, unitId)]);
	const own = await viewTargets(db, ownTargets, unitId, options);
	const unit = (await getUnitFacts(db, [unitId])).get(unitId);
	const above: TargetAbove[] = [];
	if (!unit) return { own, above };
	for (const ancestor of [...ancestors].reverse()) {
		const targets = await listTargetsOfUnit(db, ancestor.id);
		if (!targets.length) continue;
		const views = await viewTargets(db, targets, ancestor.id, options);
		const plans = await Promise.all(targets.map((t) => planCounting(db, unit, t.periodStart, t.periodEnd)));
		const { figures } = await readPageFigures(db, targetAsks(targets, plans));
		for (const [i, contribution] of figures.entries()) {
			const goal = views[i].goalLearners;
			above.push({ ...views[i], contribution, contributionShare: goal ? contribution.learners / goal : null });
		}
	}
	return { own, above };
}
