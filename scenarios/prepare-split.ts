// Turns a scenario into concrete data: the probe slice, one training set per client, and the test set.
import { subset, type Dataset } from './data/dataset.js';
import { loadDataset } from './data/index.js';
import { labelHistogram, partition } from './partitioners/index.js';
import { Random } from './random.js';
import type { Scenario } from './scenario-schema.js';

export interface PreparedSplit {
  /** One dataset per client, in client order (client-1 first). */
  clients: Dataset[];
  /** Examples on which clients report neuron pre-activations for fusion. */
  probe: Dataset;
  /** Evaluation set; never overlaps the probe or any client's data. */
  test: Dataset;
  /** Per-client label counts (clients × numClasses). */
  histograms: number[][];
}

/** Offset added to the scenario seed for the probe draw, so it is independent of the partition draw. */
const PROBE_SEED_OFFSET = 7919;

/**
 * `size` indices of `labels`, class-balanced like the paper's probe (size / numClasses from each class, chosen at
 * random; the remainder taken round-robin over classes that still have examples).
 */
export function balancedSample(labels: Int32Array, numClasses: number, size: number, seed: number): number[] {
  if (size > labels.length) throw new Error(`probe of ${size} examples is larger than the ${labels.length} available`);
  const random = new Random(seed);
  const pools: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => pools[label].push(i));
  const present = pools.filter((p) => p.length > 0);
  for (const pool of present) random.shuffle(pool);
  const perClass = Math.floor(size / present.length);
  const chosen: number[] = [];
  for (const pool of present) chosen.push(...pool.splice(0, perClass));
  while (chosen.length < size) {
    for (const pool of present) {
      if (chosen.length === size) break;
      const next = pool.shift();
      if (next !== undefined) chosen.push(next);
    }
  }
  return chosen.sort((a, b) => a - b);
}

/** The rows of `train` a scenario with probe.source 'held-out-train' takes as its probe (seeded like prepareSplit). */
export function heldOutProbeRows(train: Dataset, size: number, seed: number): number[] {
  return balancedSample(train.y, train.numClasses, size, seed + PROBE_SEED_OFFSET);
}

export async function prepareSplit(scenario: Scenario): Promise<PreparedSplit> {
  const train = await loadDataset(scenario.dataset, { split: 'train', limit: scenario.trainLimit });
  const fullTest = await loadDataset(scenario.dataset, { split: 'test' });
  const testLimit = scenario.evaluation.testLimit ?? scenario.testLimit ?? fullTest.n;

  let probe: Dataset;
  let clientPool: Dataset;
  let test: Dataset;
  if (scenario.probe.source === 'held-out-train') {
    const probeRows = heldOutProbeRows(train, scenario.probe.size, scenario.seed);
    const taken = new Uint8Array(train.n);
    for (const r of probeRows) taken[r] = 1;
    const rest: number[] = [];
    for (let i = 0; i < train.n; i++) if (!taken[i]) rest.push(i);
    probe = subset(train, probeRows);
    clientPool = subset(train, rest);
    test = subset(fullTest, range(0, Math.min(testLimit, fullTest.n)));
  } else {
    // The probe is the END of the test split; evaluation uses the start, stopping short of the probe.
    const probeStart = fullTest.n - scenario.probe.size;
    if (probeStart <= 0) {
      throw new Error(`probe.size ${scenario.probe.size} leaves no ${scenario.dataset} test examples for evaluation`);
    }
    probe = subset(fullTest, range(probeStart, fullTest.n));
    clientPool = train;
    test = subset(fullTest, range(0, Math.min(testLimit, probeStart)));
  }
  probe.name = `${scenario.dataset}-probe`;
  test.name = `${scenario.dataset}-test`;

  const parts = partition(scenario.partition, clientPool.y, scenario.clients, scenario.seed);
  const clients = parts.map((rows, i) => ({ ...subset(clientPool, rows), name: `${scenario.dataset}-client-${i + 1}` }));
  const histograms = parts.map((rows) => labelHistogram(clientPool.y, rows, clientPool.numClasses));
  return { clients, probe, test, histograms };
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}
