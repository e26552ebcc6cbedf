// Tables of a tiered experiment (issue 21) for BENCHMARKS.md, and a summary CSV: per scenario, the final test accuracy
// of every strategy's global model and of its smallest tier's model (the FedAvg width references run without tiers:
// `fedavg-small`'s global model is what the small devices run, `fedavg-full` is the every-device-could reference),
// and issue 21's targets checked on the same seeds:
//   NI global ≥ max(HeteroFL, FedRolex) + 1;  NI smallest tier ≥ fedavg-small + 1;  NI global ≥ fedavg-full − 1;
//   NI's aggregation (fusion + deriving the tier models) ≤ 10 % of the round (mean over rounds of the ratio).
//   node --import tsx bench/tier-summary.ts [--ni neuron-interpolation] [--csv summary.csv] <experiment.json>...
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { summarize } from '../scenarios/report/charts/seed-statistics.js';
import { roundRowSchema } from '../server/rounds/round-row.js';

const cellSchema = z.object({
  scenario: z.string(),
  strategy: z.string(),
  seed: z.number(),
  status: z.string(),
  rounds: z.array(roundRowSchema).optional(),
});
const experimentSchema = z.object({ title: z.string(), strategies: z.array(z.string()), localEpochs: z.number().optional(), cells: z.array(cellSchema) });
type Cell = z.infer<typeof cellSchema>;

const done = (c: Cell) => (c.status === 'done' || c.status === 'reused') && (c.rounds?.length ?? 0) > 0;
const last = (c: Cell) => c.rounds!.filter((r) => r.accuracy !== undefined).at(-1);
/** The smallest tier of a cell (fewest parameters), if it ran tiers. */
function smallestTier(c: Cell): string | undefined {
  const tiers = Object.entries(last(c)?.tiers ?? {});
  return tiers.length === 0 ? undefined : tiers.reduce((a, b) => (b[1].parameters < a[1].parameters ? b : a))[0];
}
const globalAcc = (c: Cell) => last(c)?.accuracy;
/** The smallest tier's model; a run without tiers at the smallest width (fedavg-small) runs its global model there. */
const smallestAcc = (c: Cell, withoutTiers: boolean) => {
  const t = smallestTier(c);
  return t === undefined ? (withoutTiers ? globalAcc(c) : undefined) : last(c)?.tiers?.[t]?.accuracy;
};
const aggShare = (c: Cell) => {
  const rs = c.rounds!.filter((r) => r.seconds > 0);
  return rs.reduce((a, r) => a + r.aggregateSeconds / r.seconds, 0) / rs.length;
};
const pct = (v: number) => (100 * v).toFixed(2);
const stat = (xs: number[]) => {
  if (xs.length === 0) return '–';
  const s = summarize(xs);
  return `${pct(s.mean)} ± ${pct(s.n > 1 ? s.std : 0)}${s.n < 3 ? ` (n=${s.n})` : ''}`;
};
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean over shared seeds of (a − b), in points, and the worst seed. */
function pairedGap(a: Cell[], b: Cell[], pickA: (c: Cell) => number | undefined, pickB: (c: Cell) => number | undefined): string {
  const gaps = a.flatMap((ca) => {
    const cb = b.find((x) => x.seed === ca.seed);
    const va = pickA(ca);
    const vb = cb && pickB(cb);
    return va === undefined || vb === undefined ? [] : [100 * (va - vb)];
  });
  if (gaps.length === 0) return '–';
  return `${meanOf(gaps) >= 0 ? '+' : ''}${meanOf(gaps).toFixed(2)} (worst ${Math.min(...gaps).toFixed(2)}, n=${gaps.length})`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback?: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : fallback;
  };
  const ni = flag('--ni', 'neuron-interpolation')!;
  const csvPath = flag('--csv');
  if (args.length === 0) throw new Error('usage: tier-summary.ts [--ni label] [--csv file] <experiment.json>...');
  const csv = ['experiment,scenario,strategy,seeds,global_mean,global_std,smallest_tier_mean,smallest_tier_std,aggregate_share_of_round'];
  for (const file of args) {
    const parsed = experimentSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not an experiment.json: ${parsed.error.issues[0].message}`);
    const exp = parsed.data;
    const strategies = [...new Set(exp.cells.map((c) => c.strategy))];
    const scenarios = [...new Set(exp.cells.map((c) => c.scenario))];
    const cellsOf = (scenario: string, strategy: string) => exp.cells.filter((c) => c.scenario === scenario && c.strategy === strategy && done(c));
    const withoutTiers = (s: string) => s === 'fedavg-small';
    console.log(`### ${exp.title}${exp.localEpochs ? ` (${exp.localEpochs} local epoch${exp.localEpochs > 1 ? 's' : ''})` : ''}\n`);
    console.log(`| scenario | model | ${strategies.join(' | ')} |\n|---|---|${strategies.map(() => '---').join('|')}|`);
    for (const scenario of scenarios) {
      const g = strategies.map((s) => stat(cellsOf(scenario, s).flatMap((c) => globalAcc(c) ?? [])));
      const small = strategies.map((s) => stat(cellsOf(scenario, s).flatMap((c) => smallestAcc(c, withoutTiers(s)) ?? [])));
      console.log(`| ${scenario} | global | ${g.join(' | ')} |`);
      console.log(`| ${scenario} | smallest tier | ${small.join(' | ')} |`);
      for (const s of strategies) {
        const cells = cellsOf(scenario, s);
        if (cells.length === 0) continue;
        const gs = cells.flatMap((c) => globalAcc(c) ?? []);
        const ss = cells.flatMap((c) => smallestAcc(c, withoutTiers(s)) ?? []);
        const sum = (xs: number[]) => (xs.length ? summarize(xs) : undefined);
        const [G, S] = [sum(gs), sum(ss)];
        csv.push([exp.title, scenario, s, cells.length, G?.mean ?? '', G ? (G.n > 1 ? G.std : 0) : '', S?.mean ?? '', S ? (S.n > 1 ? S.std : 0) : '', meanOf(cells.map(aggShare)).toFixed(4)].join(','));
      }
    }
    console.log(`\nTargets for ${ni} (mean over seeds of the same-seed difference, points):\n`);
    console.log('| scenario | global − best of HeteroFL/FedRolex (≥ +1) | smallest tier − fedavg-small (≥ +1) | global − fedavg-full (≥ −1) | aggregation / round (≤ 10 %) |');
    console.log('|---|---|---|---|---|');
    for (const scenario of scenarios) {
      const mine = cellsOf(scenario, ni);
      if (mine.length === 0) continue;
      const baselines = ['heterofl', 'fedrolex'].filter((s) => cellsOf(scenario, s).length > 0);
      const best = baselines.sort((a, b) => meanOf(cellsOf(scenario, b).map((c) => globalAcc(c) ?? 0)) - meanOf(cellsOf(scenario, a).map((c) => globalAcc(c) ?? 0)))[0];
      console.log(
        `| ${scenario} | ${best ? `${pairedGap(mine, cellsOf(scenario, best), globalAcc, globalAcc)} vs ${best}` : '–'} | ` +
          `${pairedGap(mine, cellsOf(scenario, 'fedavg-small'), (c) => smallestAcc(c, false), globalAcc)} | ` +
          `${pairedGap(mine, cellsOf(scenario, 'fedavg-full'), globalAcc, globalAcc)} | ${(100 * meanOf(mine.map(aggShare))).toFixed(1)} % |`,
      );
    }
    console.log('');
  }
  if (csvPath) await writeFile(csvPath, csv.join('\n') + '\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
