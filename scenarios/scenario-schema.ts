// What a scenario file describes: the dataset and how it is split over simulated clients, the federation's round
// settings, local training, the model and the fusion strategy. Validated with zod so every mistake names its field.
import { z } from 'zod';
import { modelSpecSchema, type ModelSpec } from '../common/model/model-spec.js';
import { sampleSize } from '../server/rounds/client-sampler.js';
import { screeningOptionsSchema } from '../server/defence/screening-options.js';
import { tiersSchema } from '../server/tiers/tier-options.js';
import { tierCounts } from './tier-assignment.js';

const positiveInt = () =>
  z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .positive({ error: 'expected a positive integer' });
const positiveNumber = () =>
  z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });

export const datasetNames = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof datasetNames)[number];

/** Facts the scenario checks the model against (both shipped datasets are 28×28 grey images in 10 classes). */
const DATASET_FACTS: Record<DatasetName, { exampleSize: number; numClasses: number }> = {
  mnist: { exampleSize: 784, numClasses: 10 },
  'fashion-mnist': { exampleSize: 784, numClasses: 10 },
};

export const partitionSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('iid') }),
    z.strictObject({
      kind: z.literal('dirichlet'),
      /** Concentration of Dir(alpha) over clients, per class: small (0.1) = very skewed, large (100) ≈ IID. */
      alpha: positiveNumber(),
      /** Resample until every client holds at least this many examples. */
      minPerClient: z.number({ error: 'expected a non-negative integer' }).int().min(0).default(10),
    }),
    z.strictObject({
      kind: z.literal('shards'),
      /** Each client receives this many label shards (so at most this many classes). */
      classesPerClient: positiveInt(),
    }),
    z
      .strictObject({
        kind: z.literal('ordered-dirichlet'),
        minAlpha: positiveNumber().default(1),
        maxAlpha: positiveNumber().default(5),
      })
      .refine((p) => p.minAlpha <= p.maxAlpha, { error: 'minAlpha must not exceed maxAlpha', path: ['maxAlpha'] }),
  ],
  { error: "expected kind to be one of 'iid', 'dirichlet', 'shards', 'ordered-dirichlet'" },
);
export type PartitionSpec = z.infer<typeof partitionSpecSchema>;

const localTrainingSchema = z.strictObject({
  epochs: positiveInt(),
  batchSize: positiveInt(),
  learningRate: positiveNumber(),
  optimizer: z.enum(['sgd', 'adam'], { error: "expected 'sgd' or 'adam'" }).default('sgd'),
});

/** Every strategy the server's registry (server/strategies/index.ts) can build. */
export const scenarioStrategyNames = [
  'fedavg',
  'fedprox',
  'fedadam',
  'fedyogi',
  'fedadagrad',
  'otfusion',
  'weight-matching',
  'heterofl',
  'fedrolex',
  'neuron-interpolation',
] as const;

const strategySchema = z.strictObject({
  name: z.enum(scenarioStrategyNames, {
    error: `expected ${scenarioStrategyNames.slice(0, -1).map((n) => `'${n}'`).join(', ')} or 'neuron-interpolation'`,
  }),
  /** Passed to the strategy, which validates them itself. */
  options: z.record(z.string(), z.unknown()).optional(),
});

const probeSchema = z.strictObject({
  /** Unlabelled-in-spirit examples on which clients report neuron pre-activations. */
  size: positiveInt().default(400),
  /** held-out-train: a slice of the training set that no client owns; test: the first examples of the test set. */
  source: z.enum(['held-out-train', 'test'], { error: "expected 'held-out-train' or 'test'" }).default('held-out-train'),
});

/**
 * A fraction of the clients in (0, 1], or an integer count ≥ 2 — the server's convention
 * (1 means "all of them" rather than "exactly one client").
 */
const clientsPerRoundSchema = positiveNumber().refine((v) => v <= 1 || Number.isInteger(v), {
  error: 'expected a fraction in (0, 1] or an integer count ≥ 2',
});

/** How many clients a round samples when all `clients` are connected (the server's own rule). */
export function sampledClientCount(clients: number, clientsPerRound: number): number {
  return sampleSize(clients, clientsPerRound);
}

function modelIo(model: ModelSpec): { inputSize: number | undefined; outputUnits: number | undefined } {
  if (model.kind === 'mlp') return { inputSize: model.widths[0], outputUnits: model.widths[model.widths.length - 1] };
  const dense = model.layers.filter((l) => l.type === 'dense');
  const last = dense[dense.length - 1];
  return {
    inputSize: model.inputShape.reduce((a, b) => a * b, 1),
    outputUnits: last && last.type === 'dense' ? last.units : undefined,
  };
}

const scenarioObjectSchema = z.strictObject({
  name: z.string({ error: 'expected a non-empty name' }).min(1, { error: 'expected a non-empty name' }),
  dataset: z.enum(datasetNames, { error: "expected 'mnist' or 'fashion-mnist'" }),
  /** Use only the first trainLimit training examples (probe + clients) for quick runs. */
  trainLimit: positiveInt().optional(),
  /** Use only the first testLimit test examples (evaluation.testLimit, if given, takes precedence). */
  testLimit: positiveInt().optional(),
  partition: partitionSpecSchema,
  clients: positiveInt(),
  rounds: positiveInt(),
  clientsPerRound: clientsPerRoundSchema.default(1),
  /** Updates a round needs before fusing; defaults to the sampled client count. */
  minUpdates: positiveInt().optional(),
  roundDeadlineSeconds: positiveNumber().default(120),
  local: localTrainingSchema,
  model: modelSpecSchema,
  strategy: strategySchema,
  seed: z.number({ error: 'expected a non-negative integer' }).int().min(0, { error: 'expected a non-negative integer' }),
  probe: probeSchema.default({ size: 400, source: 'held-out-train' }),
  evaluation: z.strictObject({ testLimit: positiveInt().optional() }).default({}),
  /** The server's defence (server/defence/): on by default (magnitude bound, distance screen, publish guard); 'off' or per part. */
  defence: screeningOptionsSchema.optional(),
  /**
   * Client worker processes that train the simulated clients in parallel (`run --workers` overrides it); default: the
   * cores available. It changes how fast a run goes, never its results.
   */
  workers: positiveInt().optional(),
  /**
   * Device tiers (a heterogeneous federation): `share` of the clients train the model at `width` (every hidden layer
   * scaled, output kept); assigned from the seed. Absent: every client trains the whole model.
   */
  tiers: tiersSchema.optional(),
});

export const scenarioSchema = scenarioObjectSchema
  .superRefine((s, ctx) => {
    if (s.clientsPerRound > 1 && s.clientsPerRound > s.clients) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientsPerRound'],
        message: `asks for ${s.clientsPerRound} clients per round but the scenario has only ${s.clients}`,
      });
    }
    const sampled = sampledClientCount(s.clients, s.clientsPerRound);
    if (s.minUpdates !== undefined && s.minUpdates > sampled) {
      ctx.addIssue({
        code: 'custom',
        path: ['minUpdates'],
        message: `is ${s.minUpdates} but a round samples only ${sampled} client(s)`,
      });
    }
    const facts = DATASET_FACTS[s.dataset];
    const io = modelIo(s.model);
    if (io.inputSize !== undefined && io.inputSize !== facts.exampleSize) {
      ctx.addIssue({
        code: 'custom',
        path: s.model.kind === 'mlp' ? ['model', 'widths', 0] : ['model', 'inputShape'],
        message: `model input has ${io.inputSize} values but ${s.dataset} examples have ${facts.exampleSize}`,
      });
    }
    if (io.outputUnits !== undefined && io.outputUnits !== facts.numClasses) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: `model outputs ${io.outputUnits} logits but ${s.dataset} has ${facts.numClasses} classes`,
      });
    }
    if (s.partition.kind === 'shards' && s.clients * s.partition.classesPerClient < facts.numClasses) {
      ctx.addIssue({
        code: 'custom',
        path: ['partition', 'classesPerClient'],
        message:
          `${s.clients} clients × ${s.partition.classesPerClient} classes per client cannot cover the ` +
          `${facts.numClasses} classes, so some examples would belong to no client`,
      });
    }
    if (s.tiers) {
      s.tiers.forEach((t, i) => {
        if (t.share === undefined) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'share'], message: 'expected a share in (0, 1] (the fraction of clients in the tier)' });
      });
      if (s.tiers.every((t) => t.share !== undefined)) {
        const counts = tierCounts(s.tiers as { name: string; share: number }[], s.clients);
        counts.forEach((n, i) => {
          if (n === 0) {
            ctx.addIssue({ code: 'custom', path: ['tiers', i, 'share'], message: `gives tier ${s.tiers![i].name} no client of the ${s.clients}` });
          }
        });
      }
      if (s.defence?.probeAccuracy) {
        ctx.addIssue({ code: 'custom', path: ['defence', 'probeAccuracy'], message: 'is not available with tiers (the rule compares updates of the global model\'s shapes)' });
      }
    }
    const trainAvailable = s.trainLimit ?? Infinity;
    const probeTaken = s.probe.source === 'held-out-train' ? s.probe.size : 0;
    if (trainAvailable - probeTaken < s.clients) {
      ctx.addIssue({
        code: 'custom',
        path: ['trainLimit'],
        message: `${s.trainLimit} training examples minus the ${probeTaken}-example probe leave fewer than one per client`,
      });
    }
  }, {
    // Cross-field checks only make sense once every field is individually valid (zod would otherwise run them
    // on e.g. a clientsPerRound of 0).
    when: (payload) => payload.issues.length === 0,
  })
  .transform((s) => ({ ...s, minUpdates: s.minUpdates ?? sampledClientCount(s.clients, s.clientsPerRound) }));

/** A validated scenario with every default filled in (minUpdates is always a number). */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may contain (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
