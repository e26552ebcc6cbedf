// Markdown tables of an experiment's experiment.json, for BENCHMARKS.md: final test accuracy mean ± std per
// scenario × strategy (and round 1 for multi-round runs; the parents' best, the vanilla average and the ensemble for
// one-shot runs), with the best single model of each scenario in bold.
//   node --import tsx bench/matrix-summary.ts bench/results/matrix-one-shot/experiment.json [...]
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { summarize } from '../scenarios/report/charts/seed-statistics.js';
import { parseStrategySpec } from '../scenarios/experiment/strategy-spec.js';

const cellSchema = z.object({
  scenario: z.string(),
  strategy: z.string(),
  seed: z.number(),
  status: z.string(),
  finalAccuracy: z.number().optional(),
  rounds: z.array(z.object({ round: z.number(), accuracy: z.number().optional() })).optional(),
  oneShot: z.object({ parents: z.array(z.number()), vanilla: z.number().optional(), ensemble: z.number().optional() }).optional(),
});
const experimentSchema = z.object({ title: z.string(), oneShot: z.boolean(), strategies: z.array(z.string()), cells: z.array(cellSchema) });
type Cell = z.infer<typeof cellSchema>;

const pct = (v: number) => (100 * v).toFixed(2);

function stat(values: number[]): { text: string; mean: number } | undefined {
  if (values.length === 0) return undefined;
  const s = summarize(values);
  return { text: `${pct(s.mean)} ± ${pct(s.n > 1 ? s.std : 0)}${s.n < 3 ? ` (n=${s.n})` : ''}`, mean: s.mean };
}

function labelOf(strategy: string): string {
  return strategy === 'neuron-interpolation' ? 'NI KF-linear' : strategy === 'ni-hf' ? 'NI HF' : strategy === 'ni-kf-gradient' ? 'NI KF-gradient' : strategy;
}

function table(cells: Cell[], strategies: string[], scenarios: string[], pick: (c: Cell) => number | undefined, refs: boolean): string[] {
  const refHeads = refs ? ['best parent', 'vanilla avg', 'ensemble (K models)'] : [];
  const lines = [
    `| scenario | ${[...strategies.map(labelOf), ...refHeads].join(' | ')} |`,
    `|---|${[...strategies, ...refHeads].map(() => '---').join('|')}|`,
  ];
  for (const scenario of scenarios) {
    const inScenario = cells.filter((c) => c.scenario === scenario && (c.status === 'done' || c.status === 'reused'));
    const stats = strategies.map((s) => stat(inScenario.filter((c) => c.strategy === s).map(pick).filter((v): v is number => v !== undefined)));
    const best = Math.max(...stats.map((s) => s?.mean ?? -1));
    // n/a: the strategy cannot run there (HF needs exactly 2 clients); –: not run yet.
    const skipped = (s: string) => cells.some((c) => c.scenario === scenario && c.strategy === s && c.status === 'skipped');
    const row = stats.map((s, i) => (s ? (s.mean === best ? `**${s.text}**` : s.text) : skipped(strategies[i]) ? 'n/a' : '–'));
    if (refs) {
      // One set of parents per seed, the first listed strategy's (FedProx's clients train with a proximal term).
      const seeds = [...new Set(inScenario.map((c) => c.seed))];
      const parentsOf = seeds.flatMap((seed) => {
        const first = strategies.flatMap((s) => inScenario.filter((c) => c.strategy === s && c.seed === seed && c.oneShot))[0];
        return first ? [first.oneShot!] : [];
      });
      row.push(
        stat(parentsOf.map((o) => Math.max(...o.parents)))?.text ?? '–',
        stat(parentsOf.flatMap((o) => (o.vanilla === undefined ? [] : [o.vanilla])))?.text ?? '–',
        stat(parentsOf.flatMap((o) => (o.ensemble === undefined ? [] : [o.ensemble])))?.text ?? '–',
      );
    }
    lines.push(`| ${scenario} | ${row.join(' | ')} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: matrix-summary.ts <experiment.json>...');
  for (const file of files) {
    const parsed = experimentSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not an experiment.json: ${parsed.error.issues[0].message}`);
    const exp = parsed.data;
    const scenarios = [...new Set(exp.cells.map((c) => c.scenario))];
    const strategies = exp.strategies.map((s) => parseStrategySpec(s).label);
    const missing = exp.cells.filter((c) => c.status === 'missing' || c.status === 'failed').length;
    console.log(`### ${exp.title}${missing > 0 ? ` (${missing} cell(s) not finished)` : ''}\n`);
    console.log(table(exp.cells, strategies, scenarios, (c) => c.finalAccuracy, exp.oneShot).join('\n'));
    if (!exp.oneShot) {
      console.log('\nRound 1:\n');
      console.log(table(exp.cells, strategies, scenarios, (c) => c.rounds?.find((r) => r.round === 1)?.accuracy, false).join('\n'));
    }
    console.log('');
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
