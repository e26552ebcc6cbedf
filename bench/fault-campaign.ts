// The seeded fault campaign (issue 23): a real cluster on loopback (Redis primary + replica + 3 sentinels, 3 nodes,
// one process per SDK client), faults drawn from the seed, invariants checked after every round (bench/faults/).
// Usage: npm run bench:faults -- --seed N --rounds R [--json] [--seeds 1,2,3] [--clients 12] [--per-client 300]
//        [--strategy fedavg|neuron-interpolation] [--faults-per-round 1] [--no-reference] [--out file]
// With --json the last line of output is one JSON object: faults, violations, ackedLost, roundsCompleted, recovery
// (p50/p99 by fault kind) and, per seed, the whole result. Exit code 1 when any seed has a violation or did not finish.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../cli/options.js';
import { DEFAULT_CAMPAIGN, runCampaign, type CampaignResult } from './faults/campaign.js';
import { FAULT_KINDS } from './faults/schedule.js';
import { percentile, renderTable } from './lib/stats.js';

const cli = new Command('fault-campaign')
  .option('--seed <n>', 'the seed the faults are drawn from', '1')
  .option('--seeds <list>', 'several campaigns, one per seed (comma-separated), one after another')
  .requiredOption('--rounds <n>', 'rounds of every campaign')
  .option('--json', 'end with one line of JSON (the summary and every seed\'s result)')
  .option('--clients <n>', 'SDK clients, one process each', String(DEFAULT_CAMPAIGN.clients))
  .option('--per-client <n>', 'MNIST training images per client', String(DEFAULT_CAMPAIGN.perClient))
  .option('--hidden <n>', 'hidden width of the MLP 784-h-10', String(DEFAULT_CAMPAIGN.hidden))
  .option('--strategy <name>', 'fedavg or neuron-interpolation', DEFAULT_CAMPAIGN.strategy)
  .option('--faults-per-round <n>', 'faults per round (0: none)', String(DEFAULT_CAMPAIGN.faultsPerRound))
  .option('--no-reference', 'skip the fault-free run (and the final-accuracy check)')
  .option('--timeout-s <n>', 'a campaign that takes longer is stopped and fails', String(DEFAULT_CAMPAIGN.timeoutMs / 1000))
  .option('--out <file>', 'JSON results', 'bench/results/fault-campaign.json')
  .parse();
const o = cli.opts<{ seed: string; seeds?: string; rounds: string; json?: boolean; clients: string; perClient: string; hidden: string; strategy: string; faultsPerRound: string; reference: boolean; timeoutS: string; out: string }>();
if (o.strategy !== 'fedavg' && o.strategy !== 'neuron-interpolation') throw new Error(`--strategy: "${o.strategy}" is not fedavg or neuron-interpolation`);
const seeds = (o.seeds ?? o.seed).split(',').map((s) => positiveInt('seed')(s.trim()));
const faultsPerRound = Number(o.faultsPerRound);
if (!Number.isInteger(faultsPerRound) || faultsPerRound < 0) throw new Error(`--faults-per-round: must be an integer ≥ 0, got ${o.faultsPerRound}`);

const runs: CampaignResult[] = [];
for (const seed of seeds) {
  runs.push(
    await runCampaign({
      ...DEFAULT_CAMPAIGN,
      seed,
      rounds: positiveInt('rounds')(o.rounds),
      clients: positiveInt('clients')(o.clients),
      perClient: positiveInt('per-client')(o.perClient),
      hidden: positiveInt('hidden')(o.hidden),
      strategy: o.strategy,
      faultsPerRound,
      reference: o.reference,
      timeoutMs: positiveInt('timeout-s')(o.timeoutS) * 1000,
      log: (line) => console.log(line),
    }),
  );
}

const recovery: Record<string, { n: number; p50?: number; p99?: number; max?: number }> = {};
for (const kind of FAULT_KINDS) {
  const injected = runs.flatMap((r) => r.faults.filter((f) => f.kind === kind && !f.skipped));
  if (injected.length === 0) continue;
  const ms = injected.map((f) => f.recoveryMs).filter((v): v is number => v !== undefined);
  recovery[kind] = ms.length ? { n: injected.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms) } : { n: injected.length };
}
const summary = {
  date: new Date().toISOString(),
  command: `npm run bench:faults -- ${process.argv.slice(2).join(' ')}`,
  seeds,
  rounds: Number(o.rounds),
  clients: Number(o.clients),
  strategy: o.strategy,
  faults: runs.reduce((n, r) => n + r.faults.filter((f) => !f.skipped).length, 0),
  faultsSkipped: runs.reduce((n, r) => n + r.faults.filter((f) => f.skipped).length, 0),
  violations: runs.flatMap((r) => r.violations.map((v) => ({ seed: r.seed, ...v }))),
  ackedLost: runs.reduce((n, r) => n + r.ackedLost, 0),
  roundsCompleted: runs.reduce((n, r) => n + r.roundsCompleted, 0),
  failures: runs.flatMap((r) => (r.failure ? [{ seed: r.seed, failure: r.failure }] : [])),
  recovery,
  runs,
};
console.log(
  '\n' +
    renderTable(
      ['seed', 'rounds done', 'faults', 'violations', 'acked lost', 'final acc', 'fault-free acc', 'seconds', 'failure'],
      runs.map((r) => [
        String(r.seed),
        `${r.roundsCompleted}/${r.rounds}`,
        String(r.faults.filter((f) => !f.skipped).length),
        String(r.violations.length),
        String(r.ackedLost),
        r.finalAccuracy !== undefined ? `${(100 * r.finalAccuracy).toFixed(2)}%` : '-',
        r.referenceAccuracy !== undefined ? `${(100 * r.referenceAccuracy).toFixed(2)}%` : '-',
        r.seconds.toFixed(0),
        r.failure ?? '',
      ]),
    ),
);
console.log(
  renderTable(
    ['fault kind', 'injected', 'recovery p50 ms', 'p99 ms', 'max ms'],
    Object.entries(recovery).map(([kind, r]) => [kind, String(r.n), String(r.p50 ?? '-'), String(r.p99 ?? '-'), String(r.max ?? '-')]),
  ),
);
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(summary, null, 2) + '\n');
console.log(`results: ${o.out}`);
if (o.json) console.log(JSON.stringify(summary));
process.exit(summary.violations.length === 0 && summary.failures.length === 0 && summary.roundsCompleted === seeds.length * summary.rounds ? 0 : 1);
