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

/** Which rows of the training split each client holds (indices into `train`, in the order the client gets them). */
export interface ClientRows {
  /** One list per client, client-1 first. */
  clients: number[][];
  /** The held-out-train probe's rows (empty when the probe comes from the test split). */
  probe: number[];
}

/**
 * The scenario's client split as rows of its training split: labels only, nothing copied, so a process that
 * simulates a few clients materialises only theirs (clientDatasets) and `run` the whole split (prepareSplit).
 */
export function clientRowsOf(scenario: Scenario, train: Dataset): ClientRows {
  if (scenario.probe.source !== 'held-out-train') {
    return { clients: partition(scenario.partition, train.y, scenario.clients, scenario.seed), probe: [] };
  }
  const probe = heldOutProbeRows(train, scenario.probe.size, scenario.seed);
  const taken = new Uint8Array(train.n);
  for (const r of probe) taken[r] = 1;
  const rest: number[] = [];
  for (let i = 0; i < train.n; i++) if (!taken[i]) rest.push(i);
  const poolLabels = Int32Array.from(rest, (r) => train.y[r]);
  const parts = partition(scenario.partition, poolLabels, scenario.clients, scenario.seed);
  return { clients: parts.map((rows) => rows.map((r) => rest[r])), probe };
}

/** The scenario's training split, as its clients and probe draw from it. */
export function loadTrainSplit(scenario: Scenario): Promise<Dataset> {
  return loadDataset(scenario.dataset, { split: 'train', limit: scenario.trainLimit });
}

/** The training sets of the clients at `indexes` (0-based, client-1 is 0), in that order. */
export async function clientDatasets(scenario: Scenario, indexes: readonly number[]): Promise<Dataset[]> {
  const train = await loadTrainSplit(scenario);
  const rows = clientRowsOf(scenario, train).clients;
  return indexes.map((i) => clientDataset(scenario, train, rows, i));
}

function clientDataset(scenario: Scenario, train: Dataset, rows: number[][], index: number): Dataset {
  if (!(Number.isInteger(index) && index >= 0 && index < rows.length)) {
    throw new Error(`scenario ${scenario.name} has clients 0..${rows.length - 1}; there is no client ${index}`);
  }
  return { ...subset(train, rows[index]), name: `${scenario.dataset}-client-${index + 1}` };
}

export async function prepareSplit(scenario: Scenario): Promise<PreparedSplit> {
  const train = await loadTrainSplit(scenario);
  const fullTest = await loadDataset(scenario.dataset, { split: 'test' });
  const testLimit = scenario.evaluation.testLimit ?? scenario.testLimit ?? fullTest.n;

  const rows = clientRowsOf(scenario, train);
  let probe: Dataset;
  let test: Dataset;
  if (scenario.probe.source === 'held-out-train') {
    probe = subset(train, rows.probe);
    test = subset(fullTest, range(0, Math.min(testLimit, fullTest.n)));
  } else {
    // The probe is the END of the test split; evaluation uses the start, stopping short of the probe.
    const probeStart = fullTest.n - scenario.probe.size;
    if (probeStart <= 0) {
      throw new Error(`probe.size ${scenario.probe.size} leaves no ${scenario.dataset} test examples for evaluation`);
    }
    probe = subset(fullTest, range(probeStart, fullTest.n));
    test = subset(fullTest, range(0, Math.min(testLimit, probeStart)));
  }
  probe.name = `${scenario.dataset}-probe`;
  test.name = `${scenario.dataset}-test`;

  const clients = rows.clients.map((_, i) => clientDataset(scenario, train, rows.clients, i));
  const histograms = rows.clients.map((r) => labelHistogram(train.y, r, train.numClasses));
  return { clients, probe, test, histograms };
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}
