// The cells of an experiment: every scenario × strategy × seed, each with a stable id that names its directory.
import { scenarioStrategyNames } from '../scenario-schema.js';

export interface MatrixScenario {
  /** The scenario's `name` field (what reports show). */
  name: string;
  /** Absolute path of the scenario file (what the cell's child process loads). */
  file: string;
}

export interface ExperimentCell {
  /** `<scenario>__<strategy>__seed<N>`: also the cell's directory name under <out>/cells/. */
  id: string;
  scenario: MatrixScenario;
  strategy: string;
  seed: number;
}

export interface MatrixSpec {
  scenarios: readonly MatrixScenario[];
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

/** Checks the strategy names against the registry's; throws naming the bad ones and the valid ones. */
export function validateStrategies(strategies: readonly string[]): void {
  if (strategies.length === 0) throw new Error('no strategies given');
  const known: readonly string[] = scenarioStrategyNames;
  const unknown = strategies.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new Error(`unknown strategy ${unknown.map((s) => `"${s}"`).join(', ')} (known: ${known.join(', ')})`);
  }
}

/** All cells, scenario-major then strategy then seed (the order reports list them in). */
export function expandMatrix(spec: MatrixSpec): ExperimentCell[] {
  if (spec.scenarios.length === 0) throw new Error('no scenarios given');
  if (spec.seeds.length === 0) throw new Error('no seeds given');
  validateStrategies(spec.strategies);
  const badSeeds = spec.seeds.filter((s) => !Number.isInteger(s) || s < 0);
  if (badSeeds.length > 0) throw new Error(`seeds must be non-negative integers, got ${badSeeds.join(', ')}`);
  for (const [what, values] of [
    ['strategy', spec.strategies],
    ['seed', spec.seeds],
  ] as const) {
    const dup = duplicates<string | number>(values);
    if (dup.length > 0) throw new Error(`${what} listed twice: ${dup.join(', ')}`);
  }
  // Two files with the same scenario name would write into the same cell directories.
  const dupIds = duplicates(spec.scenarios.map((s) => pathSafe(s.name)));
  if (dupIds.length > 0) throw new Error(`two scenario files share the name ${dupIds.map((n) => `"${n}"`).join(', ')}`);

  const cells: ExperimentCell[] = [];
  for (const scenario of spec.scenarios) {
    for (const strategy of spec.strategies) {
      for (const seed of spec.seeds) cells.push({ id: cellId(scenario.name, strategy, seed), scenario, strategy, seed });
    }
  }
  return cells;
}
