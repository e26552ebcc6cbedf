// Same scenario, same seed, FedAvg vs neuron interpolation: per-round test accuracy side by side.
// Usage: node --import tsx bench/federation-compare.ts [scenario.yaml] [--rounds N]
import { mkdir, writeFile } from 'node:fs/promises';
import { DEFAULT_SCENARIO_PATH, loadScenario, parseScenario } from '../scenarios/load-scenario.js';
import { runScenario, type RunResult } from '../scenarios/runner.js';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds') ?? DEFAULT_SCENARIO_PATH;
const base = await loadScenario(file);

const results: RunResult[] = [];
for (const strategy of ['fedavg', 'neuron-interpolation']) {
  const scenario = parseScenario({ ...base, rounds, strategy: { name: strategy } }, `${file} (${strategy})`);
  console.log(`running ${scenario.name} with ${strategy}, ${rounds} rounds, seed ${scenario.seed} ...`);
  results.push(await runScenario(scenario, { outDir: `bench/results/federation-${strategy}`, print: false }));
}

const pct = (x?: number) => (x === undefined ? '-' : `${(100 * x).toFixed(2)}%`);
const lines = ['| round | fedavg acc | neuron-interpolation acc | fedavg round s | NI round s | NI aggregate s |', '|---|---|---|---|---|---|'];
for (let r = 0; r < rounds; r++) {
  const [a, b] = results.map((res) => res.rounds[r]);
  lines.push(
    `| ${r + 1} | ${pct(a?.accuracy)} | ${pct(b?.accuracy)} | ${a?.seconds.toFixed(1)} | ${b?.seconds.toFixed(1)} | ${b?.aggregateSeconds.toFixed(2)} |`,
  );
}
console.log(lines.join('\n'));
await mkdir('bench/results', { recursive: true });
await writeFile(
  'bench/results/federation-compare.json',
  JSON.stringify({ date: new Date().toISOString(), scenario: file, rounds, backend: results[0].backend, runs: results.map((r) => ({ strategy: r.scenario.strategy.name, rounds: r.rounds, seconds: r.seconds })) }, null, 2) + '\n',
);
