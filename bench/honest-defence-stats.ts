// What the default defence sees in HONEST federations (issue 19): the thresholds of the distance screen, the
// magnitude bound and the publish guard are chosen from these figures. Runs each scenario with the defaults on and
// records, per run, the largest (update distance / round median), the largest |w| of any upload, the largest rise of
// the round's held-out probe loss over the previous model's, and whether anything was excluded or not published;
// with --compare-off also the same run with `defence: off`, to show that the defaults change nothing on honest runs.
//   node --import tsx bench/honest-defence-stats.ts [--rounds 3] [--epochs 1,5] [--strategies fedavg,neuron-interpolation]
//     [--compare-off] [--out bench/results/honest-defence-stats.json] scenario.yaml...
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadScenario, parseScenario } from '../scenarios/load-scenario.js';
import { runScenario, type RunResult } from '../scenarios/runner.js';
import { sampledClientCount } from '../scenarios/scenario-schema.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const valued = new Set(['--rounds', '--epochs', '--strategies', '--out']);
const files = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const rounds = Number(option('--rounds', '3'));
const epochs = option('--epochs', '1,5').split(',').map(Number);
const strategies = option('--strategies', 'fedavg').split(',');
const out = option('--out', 'bench/results/honest-defence-stats.json');
const compareOff = args.includes('--compare-off');

interface Cell {
  scenario: string;
  strategy: string;
  epochs: number;
  defence: 'default' | 'off';
  finalAccuracy?: number;
  largestDistanceRatio: number;
  largestAbsWeight: number;
  /** max over rounds of candidateLoss / previousLoss − 1 (held-out probe cross-entropy). */
  largestLossRise: number;
  /** Rounds with fewer participants than sampled clients: someone was excluded. */
  excluded: number;
  notPublished: number;
  seconds: number;
}

function cellOf(r: RunResult, strategy: string, e: number, defence: Cell['defence']): Cell {
  const rows = r.rounds;
  const max = (values: (number | undefined)[]) => Math.max(...values.filter((v): v is number => v !== undefined));
  return {
    scenario: r.scenario.name,
    strategy,
    epochs: e,
    defence,
    finalAccuracy: rows.at(-1)?.accuracy,
    largestDistanceRatio: max(rows.map((x) => x.updateStats?.largestDistanceRatio)),
    largestAbsWeight: max(rows.map((x) => x.updateStats?.largestAbsWeight)),
    largestLossRise: max(rows.map((x) => (x.guard?.candidateLoss != null && x.guard.previousLoss != null ? x.guard.candidateLoss / x.guard.previousLoss - 1 : undefined))),
    excluded: 0,
    notPublished: rows.filter((x) => x.guard && x.guard.published !== 'candidate').length,
    seconds: r.seconds,
  };
}

const cells: Cell[] = [];
for (const file of files) {
  const base = await loadScenario(file);
  for (const strategy of strategies) {
    for (const e of epochs) {
      for (const defence of compareOff ? (['default', 'off'] as const) : (['default'] as const)) {
        const scenario = parseScenario(
          { ...base, rounds, local: { ...base.local, epochs: e }, strategy: { name: strategy }, ...(defence === 'off' ? { defence: 'off' } : {}) },
          file,
        );
        const started = Date.now();
        const result = await runScenario(scenario, { outDir: `/tmp/fedfuse-honest-defence/${scenario.name}-${strategy}-${e}-${defence}`, print: false });
        // Fewer participants than sampled clients (no stragglers here): someone was excluded.
        const sampled = sampledClientCount(scenario.clients, scenario.clientsPerRound);
        const excluded = result.rounds.filter((row) => row.participants + row.stragglers < sampled).length;
        const cell = { ...cellOf(result, strategy, e, defence), excluded };
        cells.push(cell);
        console.log(
          `${cell.scenario} ${strategy} ${e} epoch(s) defence ${defence}: acc ${((cell.finalAccuracy ?? NaN) * 100).toFixed(2)}%, ` +
            `largest distance ${cell.largestDistanceRatio.toFixed(2)} × median, max |w| ${cell.largestAbsWeight.toFixed(3)}, ` +
            `largest loss rise ${(100 * cell.largestLossRise).toFixed(1)} %, rounds with fewer participants ${excluded}, ` +
            `not published ${cell.notPublished} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    }
  }
}
const finite = (xs: number[]) => xs.filter(Number.isFinite);
console.log(
  `over ${cells.length} runs: largest distance ratio ${Math.max(...finite(cells.map((c) => c.largestDistanceRatio))).toFixed(2)}, ` +
    `max |w| ${Math.max(...finite(cells.map((c) => c.largestAbsWeight))).toFixed(3)}, ` +
    `largest loss rise ${(100 * Math.max(...finite(cells.map((c) => c.largestLossRise)))).toFixed(1)} %`,
);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ date: new Date().toISOString(), rounds, epochs, strategies, cells }, null, 2) + '\n');
