// `npm run bench:wildcard`: time to grade short answers crafted against wildcard patterns (the matcher must stay
// linear: a learner's answer must never stall the server). Prints one JSON line: microseconds per answer.
import { matchesWildcard } from '../src/lib/server/content/gift/grade';

const cases: { name: string; pattern: string; answer: string }[] = [
	{ name: 'ten stars, 30 chars', pattern: '**********x', answer: 'a'.repeat(30) },
	{ name: 'ten stars, 5000 chars', pattern: '**********x', answer: 'a'.repeat(5000) },
	{ name: 'wifi, 500 chars', pattern: '*bật*wi*fi*trong*cài*đặt*', answer: 'bật wi fi trong cài '.repeat(25) },
	{ name: 'wifi, 2000 chars of wi', pattern: '*bật*wi*fi*trong*cài*đặt*', answer: 'bật ' + 'wi'.repeat(998) },
	{ name: 'plain answer', pattern: 'VNeID', answer: 'vneid' }
];

const ROUNDS = Number(process.env.BENCH_ROUNDS || 2000);
const result: Record<string, number> = {};
for (const c of cases) {
	for (let i = 0; i < 50; i++) matchesWildcard(c.answer, c.pattern);
	const start = process.hrtime.bigint();
	for (let i = 0; i < ROUNDS; i++) matchesWildcard(c.answer, c.pattern);
	const micros = Number(process.hrtime.bigint() - start) / 1000 / ROUNDS;
	result[c.name] = Math.round(micros * 100) / 100;
}
console.log(JSON.stringify({ rounds: ROUNDS, microsecondsPerAnswer: result }));
