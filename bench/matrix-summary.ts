// Markdown tables of an experiment's experiment.json, for BENCHMARKS.md: final test accuracy mean ± std per
// scenario × strategy (and round 1 and 5 for multi-round runs; the parents' best, the vanilla average and the
// ensemble for one-shot runs), with the best single model of each scenario in bold. Multi-round runs also get, per
// strategy against `--baseline` (default fedavg), what issue 9's bars ask: the worst same-seed same-round gap, the
// test loss over the last rounds, rounds and bytes to reach the baseline's final accuracy, and the fused share.
//   node --import tsx bench/matrix-summary.ts [--baseline fedavg] bench/results/matrix9-one-shot/experiment.json [...]
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
  rounds: z
    .array(
      z.object({
        round: z.number(),
        accuracy: z.number().optional(),
        loss: z.number().optional(),
        bytesSent: z.number().optional(),
        bytesReceived: z.number().optional(),
        fusion: z.object({ path: z.enum(['fused', 'fallback']) }).optional(),
      }),
    )
    .optional(),
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

const done = (c: Cell) => c.status === 'done' || c.status === 'reused';
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean over seeds of a per-round value, by round (rounds every seed has). */
function perRound(cells: Cell[], pick: (r: NonNullable<Cell['rounds']>[number]) => number | undefined): Map<number, number> {
  const byRound = new Map<number, number[]>();
  for (const c of cells) for (const r of c.rounds ?? []) {
    const v = pick(r);
    if (v !== undefined) byRound.set(r.round, [...(byRound.get(r.round) ?? []), v]);
  }
  const out = new Map<number, number>();
  for (const [round, vs] of byRound) if (vs.length === cells.length) out.set(round, mean(vs));
  return out;
}

/**
 * Per strategy against the baseline, on the same seeds: worst (strategy − baseline) accuracy gap of any seed at any
 * round; mean test loss at the last round minus its lowest over the last five; the first round whose mean accuracy
 * reaches the baseline's final mean, and the mean bytes (sent + received) up to it; rounds that kept the fused model.
 */
function barTable(all: Cell[], strategies: string[], scenarios: string[], baseline: string): string[] {
  const lines = [
    '| scenario | strategy | worst same-round gap vs ' + baseline + ' (points) | loss: last − min of last 5 | rounds to ' + baseline + "'s final | MiB to it | fused rounds |",
    '|---|---|---|---|---|---|---|',
  ];
  for (const scenario of scenarios) {
    const base = all.filter((c) => c.scenario === scenario && c.strategy === baseline && done(c));
    if (base.length === 0) continue;
    const target = mean(base.map((c) => c.finalAccuracy ?? 0));
    for (const strategy of strategies) {
      const cells = all.filter((c) => c.scenario === scenario && c.strategy === strategy && done(c));
      if (cells.length === 0) continue;
      let worst = Infinity;
      for (const c of cells) {
        const b = base.find((x) => x.seed === c.seed);
        for (const r of c.rounds ?? []) {
          const br = b?.rounds?.find((x) => x.round === r.round);
          if (r.accuracy !== undefined && br?.accuracy !== undefined) worst = Math.min(worst, 100 * (r.accuracy - br.accuracy));
        }
      }
      const loss = perRound(cells, (r) => r.loss);
      const rounds = [...loss.keys()].sort((a, b) => a - b);
      const last5 = rounds.slice(-5).map((r) => loss.get(r)!);
      const lossRise = last5.length > 0 ? last5[last5.length - 1] - Math.min(...last5) : undefined;
      const acc = perRound(cells, (r) => r.accuracy);
      const reach = [...acc.keys()].sort((a, b) => a - b).find((r) => acc.get(r)! >= target - 1e-9);
      const bytes = perRound(cells, (r) => (r.bytesSent ?? 0) + (r.bytesReceived ?? 0));
      const toReach = reach === undefined ? undefined : [...bytes.entries()].filter(([r]) => r <= reach).reduce((a, [, v]) => a + v, 0);
      const reports = cells.flatMap((c) => (c.rounds ?? []).flatMap((r) => (r.fusion ? [r.fusion.path] : [])));
      const fused = reports.length === 0 ? '–' : `${reports.filter((p) => p === 'fused').length} / ${reports.length}`;
      lines.push(
        `| ${scenario} | ${labelOf(strategy)} | ${Number.isFinite(worst) ? worst.toFixed(2) : '–'} | ` +
          `${lossRise === undefined ? '–' : lossRise.toFixed(4)} | ${reach ?? 'not reached'} | ` +
          `${toReach === undefined ? '–' : (toReach / 2 ** 20).toFixed(1)} | ${fused} |`,
      );
    }
  }
  return lines;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--baseline');
  const baseline = at >= 0 ? args.splice(at, 2)[1] : 'fedavg';
  const files = args;
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
      console.log('\nRound 5:\n');
      console.log(table(exp.cells, strategies, scenarios, (c) => c.rounds?.find((r) => r.round === 5)?.accuracy, false).join('\n'));
      console.log(`\nAgainst ${baseline}, same seeds:\n`);
      console.log(barTable(exp.cells, strategies, scenarios, baseline).join('\n'));
    }
    console.log('');
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
