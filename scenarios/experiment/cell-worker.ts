// Child-process entry of one experiment cell (run with `node --import tsx`): loads the scenario, applies the cell's
// strategy/seed/rounds, and runs the federation quietly; the runner writes results.json into the cell directory.
// One process per cell keeps TF.js memory, wasm state and sockets of different cells apart.
import { loadScenario, parseScenario } from '../load-scenario.js';
import { runScenario } from '../runner.js';
import { atModelWidth } from '../model-width.js';
import { cellArgsSchema } from './cell-args.js';

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (!raw) throw new Error('cell-worker: missing the cell arguments (JSON) as the first argument');
  const args = cellArgsSchema.parse(JSON.parse(raw));
  const file = await loadScenario(args.scenarioFile);
  const loaded = args.width !== undefined ? atModelWidth(file, args.width) : file;
  // The experiment resolved the options (the cell's own, or the file's for the file's strategy); none = defaults.
  const options = args.strategyOptions;
  const scenario = parseScenario(
    {
      ...loaded,
      seed: args.seed,
      ...(args.rounds !== undefined ? { rounds: args.rounds } : {}),
      ...(args.localEpochs !== undefined ? { local: { ...loaded.local, epochs: args.localEpochs } } : {}),
      strategy: { name: args.strategy, ...(options ? { options } : {}) },
    },
    `${args.scenarioFile} (cell overrides)`,
  );
  await runScenario(scenario, {
    outDir: args.outDir,
    print: false,
    ...(args.label !== undefined ? { label: args.label } : {}),
    oneShotReferences: args.oneShot ?? false,
    roundReferences: args.roundReferences ?? false,
    saveModels: args.saveModels ?? false,
    ...(args.workers !== undefined ? { workers: args.workers } : {}),
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
