// What a server config FILE holds (YAML or JSON, see `fedfuse serve --config`), validated with zod so that every
// mistake is reported with the name of the offending field.
import { MAX_CLIENT_ID_CHARS } from './transport/socket-server.js';
import { z } from 'zod';
import { modelSpecSchema } from '../common/model/model-spec.js';
import { screeningOptionsSchema } from './defence/screening-options.js';
import { exampleWeightOptionsSchema } from './defence/example-weights.js';
import { clusterOptionsSchema } from './cluster/cluster-options.js';
import { tiersSchema } from './tiers/tier-options.js';
import { banOptionsSchema } from './defence/client-bans.js';
import { trustProxySchema } from './transport/client-address.js';
import type { TrainingConfig } from '@fedfuse/client/internal/training/training-config.js';

const MIB = 1024 * 1024;

export const trainingConfigSchema = z
  .object({
    localEpochs: z.number().int().positive().default(1),
    batchSize: z.number().int().positive().default(32),
    learningRate: z.number().positive().default(0.01),
    optimizer: z.enum(['sgd', 'adam']).default('sgd'),
    proximalMu: z.number().min(0).default(0),
    sendActivations: z.boolean().default(false),
    importanceMethod: z.enum(['', 'uniform', 'conductance', 'feature-ablation', 'deeplift']).default(''),
    seed: z.number().int().min(0).default(0),
    halfPrecision: z.boolean().default(false),
  })
  .strict() satisfies z.ZodType<TrainingConfig>;

const hexSha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a 64-character hex sha256 digest');

/** A client's secret: the token itself, or (better, for files at rest) its sha256 digest. */
export const tokenEntrySchema = z.union([
  z.string().min(8, 'a token must be at least 8 characters'),
  z.object({ sha256: hexSha256 }).strict(),
]);

/**
 * A fraction of the connected clients in (0, 1], or an integer count ≥ 2.
 * (1 means "all of them", the common case, rather than "exactly one client".)
 */
export const clientsPerRoundSchema = z
  .number()
  .positive()
  .refine((v) => v <= 1 || Number.isInteger(v), 'must be a fraction in (0, 1] or an integer count ≥ 2');

export const serverConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8765),
    host: z.string().min(1).default('127.0.0.1'),
    rounds: z.number().int().positive(),
    minClients: z.number().int().positive().default(1),
    clientsPerRound: clientsPerRoundSchema.default(1),
    seed: z.number().int().min(0).default(0),
    roundDeadlineSeconds: z.number().positive().default(300),
    minUpdates: z.number().int().positive().default(1),
    training: trainingConfigSchema.default(trainingConfigSchema.parse({})),
    tokens: z
      .record(z.string().min(1), tokenEntrySchema)
      .refine((t) => Object.keys(t).length > 0, 'needs at least one client')
      // The transport refuses longer ids at join, so a longer one here could never connect.
      .superRefine((t, ctx) => {
        for (const id of Object.keys(t)) {
          if (id.length > MAX_CLIENT_ID_CHARS) {
            ctx.addIssue({
              code: 'custom',
              message: `client id "${id.slice(0, 24)}…" has ${id.length} characters; client ids are at most ${MAX_CLIENT_ID_CHARS}`,
            });
          }
        }
      }),
    checkpointDir: z.string().min(1).optional(),
    /** A file holding the key checkpoints are signed with (HMAC-SHA256); FEDFUSE_CHECKPOINT_KEY may give it instead. */
    checkpointKeyFile: z.string().min(1).optional(),
    maxMessageBytes: z.number().int().positive().default(256 * MIB),
    /** Partial uploads of all connections together (default max(1 GiB, 2 × maxMessageBytes)). */
    maxPendingUploadBytes: z.number().int().positive().optional(),
    chunkBytes: z.number().int().positive().optional(),
    /** A partial upload that received nothing for this long is dropped (default 120). */
    transferTimeoutSeconds: z.number().positive().optional(),
    strategy: z
      .object({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) })
      .strict()
      // Neuron interpolation unless told otherwise (it needs --probe; serve says so at start when it is missing).
      .default({ name: 'neuron-interpolation', options: {} }),
    model: modelSpecSchema,
    heartbeatSeconds: z.number().positive().default(25),
    /** Protocol errors (bad frames, chunks, envelopes) from one connection before it is closed. */
    maxProtocolErrors: z.number().int().positive().optional(),
    /** Joined clients at most, per node in a cluster (SERVER_FULL beyond). */
    maxClients: z.number().int().positive().optional(),
    /** Per-client message rate: token bucket of `burst` refilled at `messagesPerSecond`. */
    rateLimit: z
      .object({
        messagesPerSecond: z.number().positive(),
        burst: z.number().int().positive().optional(),
        disconnectAfter: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /**
     * Backoff on failed joins (defaults: 5 free failures, 1 s doubling to 60 s): an address is refused unchecked, a
     * client id's joins from other addresses are checked after the backoff, at most idDelayMaxMs (10 000) later.
     */
    joinBackoff: z
      .object({
        freeFailures: z.number().int().min(0).optional(),
        baseMs: z.number().int().positive().optional(),
        maxMs: z.number().int().positive().optional(),
        idDelayMaxMs: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    /**
     * Reverse proxies (IPs or CIDR ranges) whose X-Forwarded-For gives the client address the failed-join backoff
     * counts under; anyone else's X-Forwarded-For is ignored.
     */
    trustProxy: trustProxySchema.optional(),
    /** PEM files for https/wss. */
    tls: z.object({ keyFile: z.string().min(1), certFile: z.string().min(1) }).strict().optional(),
    /** The defence (on by default: magnitude bound, distance screen, publish guard); 'off' or `norm: false`, ... */
    defence: screeningOptionsSchema.optional(),
    /** Client bans after repeated bad updates (off unless given). */
    bans: banOptionsSchema.optional(),
    /** Bounds on the example count an update is weighed with (default: at most 10 × the round's median claim). */
    exampleWeights: exampleWeightOptionsSchema.optional(),
    /** Cluster mode: this server is one node of a federation kept in Redis (README, "Several nodes"). */
    cluster: clusterOptionsSchema.optional(),
    /** Device tiers: narrower variants of `model` that clients choose when they join (`share` is not used by serve). */
    tiers: tiersSchema.optional(),
  })
  .strict()
  // Counts that no set of the configured clients could ever satisfy: refused at start instead of waiting for ever.
  .superRefine((c, ctx) => {
    const clients = Object.keys(c.tokens).length;
    const needs = (field: 'minClients' | 'minUpdates', value: number) => {
      if (value > clients) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is ${value}, but tokens lists only ${clients} client(s): no round could ever start` });
      }
    };
    needs('minClients', c.minClients);
    needs('minUpdates', c.minUpdates);
    if (c.checkpointKeyFile !== undefined && c.checkpointDir === undefined) {
      ctx.addIssue({ code: 'custom', path: ['checkpointKeyFile'], message: 'goes with checkpointDir (it signs the checkpoints written there)' });
    }
    if (c.cluster !== undefined && c.checkpointDir !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['checkpointDir'], message: 'goes without cluster: in cluster mode Redis holds the rounds and the updates' });
    }
    if (c.tiers !== undefined && c.cluster !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'goes without cluster: a tiered federation runs on one node' });
    }
    if (c.tiers !== undefined && c.defence?.probeAccuracy) {
      ctx.addIssue({ code: 'custom', path: ['defence', 'probeAccuracy'], message: 'is not available with tiers (the rule compares updates of the global model\'s shapes)' });
    }
    if (c.maxClients !== undefined && c.maxClients < c.minClients && c.cluster === undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxClients'], message: `is ${c.maxClients}, below minClients (${c.minClients}): no round could ever start` });
    }
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type TokenEntry = z.infer<typeof tokenEntrySchema>;

/** Validates a parsed config file; the Error lists every problem with its field path. */
export function parseServerConfig(raw: unknown, source = 'server config'): ServerConfig {
  const result = serverConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  ${field}: ${issue.message}`;
  });
  throw new Error(`${source} is invalid:\n${problems.join('\n')}`);
}
