// The cells of an experiment: every scenario × strategy × seed, each with a stable id that names its directory.
import { parseStrategySpec, type StrategySpec } from './strategy-spec.js';

export interface MatrixScenario {
  /** The scenario's `name` field (what reports show). */
  name: string;
  /** Absolute path of the scenario file (what the cell's child process loads). */
  file: string;
  /** The file's own rounds (a finished cell must have run the rounds the experiment asks for). */
  rounds?: number;
  /** Clients a round samples when all are connected (strategies defined for two parents need exactly 2). */
  sampledClients?: number;
  /** The file's own local epochs (a finished cell must have trained as many as the experiment asks for). */
  localEpochs?: number;
  /** The file's own strategy, whose options apply to cells of that strategy given without options. */
  strategy?: { name: string; options?: Record<string, unknown> };
  /** The file's own client workers per run. */
  workers?: number;
}

export interface ExperimentCell {
  /** `<scenario>__<strategy>__seed<N>`: also the cell's directory name under <out>/cells/. */
  id: string;
  scenario: MatrixScenario;
  /** The strategy's label (what reports show); `spec` says which strategy and options it stands for. */
  strategy: string;
  spec: StrategySpec;
  seed: number;
}

export interface MatrixSpec {
  scenarios: readonly MatrixScenario[];
  /** Strategy specs as `parseStrategySpec` reads them (a plain registry name is the simplest). */
  strategies: readonly string[];
  seeds: readonly number[];
}

/** Keeps ids safe as directory names on every OS (scenario names are free text). */
function pathSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function cellId(scenarioName: string, strategy: string, seed: number): string {
  return `${pathSafe(scenarioName)}__${pathSafe(strategy)}__seed${seed}`;
}

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** Parses every strategy spec; throws naming the first bad one (unknown names list the valid ones). */
export function validateStrategies(strategies: readonly string[]): StrategySpec[] {
  if (strategies.length === 0) throw new Error('no strategies given');
  const specs = strategies.map(parseStrategySpec);
  const dup = duplicates(specs.map((s) => pathSafe(s.label)));
  if (dup.length > 0) throw new Error(`strategy listed twice: ${dup.join(', ')}`);
  return specs;
}

/** All cells, scenario-major then strategy then seed (the order reports list them in). */
export function expandMatrix(spec: MatrixSpec): ExperimentCell[] {
  if (spec.scenarios.length === 0) throw new Error('no scenarios given');
  if (spec.seeds.length === 0) throw new Error('no seeds given');
  const specs = validateStrategies(spec.strategies);
  const badSeeds = spec.seeds.filter((s) => !Number.isInteger(s) || s < 0);
  if (badSeeds.length > 0) throw new Error(`seeds must be non-negative integers, got ${badSeeds.join(', ')}`);
  const dupSeeds = duplicates(spec.seeds);
  if (dupSeeds.length > 0) throw new Error(`seed listed twice: ${dupSeeds.join(', ')}`);
  // Two files with the same scenario name would write into the same cell directories.
  const dupIds = duplicates(spec.scenarios.map((s) => pathSafe(s.name)));
  if (dupIds.length > 0) throw new Error(`two scenario files share the name ${dupIds.map((n) => `"${n}"`).join(', ')}`);

  const cells: ExperimentCell[] = [];
  for (const scenario of spec.scenarios) {
    for (const strategy of specs) {
      for (const seed of spec.seeds) {
        cells.push({ id: cellId(scenario.name, strategy.label, seed), scenario, strategy: strategy.label, spec: strategy, seed });
      }
    }
  }
  return cells;
}
