// FedAdam / FedYogi / FedAdagrad (Reddi et al. 2021): clients train as in FedAvg; the server treats the weighted
// mean client change as a pseudo-gradient and takes an adaptive optimiser step with it. The moments (m, v) carry over
// between rounds, so the strategy is stateful: exportState()/importState() put that state into server checkpoints.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import {
  adaptiveOptionsSchema,
  adaptiveStep,
  initialMoments,
  pseudoGradient,
  restoreMoments,
  snapshotMoments,
  type AdaptiveOptions,
  type AdaptiveVariant,
  type MomentState,
  type NamedShape,
} from './server-optimizer.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

function parseOptions(strategy: string, options: unknown): AdaptiveOptions {
  const parsed = adaptiveOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new Error(`${strategy} options are invalid (known: eta, beta1, beta2, tau): ${issues}`);
  }
  return parsed.data;
}

export class AdaptiveServerStrategy implements Strategy {
  readonly name: string;
  readonly options: AdaptiveOptions;
  private state: MomentState | undefined;
  /** Names and shapes of the weights the state belongs to (for checks and snapshots). */
  private shapes: NamedShape[] = [];

  constructor(
    readonly variant: AdaptiveVariant,
    options: unknown = {},
  ) {
    this.name = `fed${variant}`;
    this.options = parseOptions(this.name, options);
  }

  /** Its step depends on the updates only through their example-weighted average. */
  readonly hierarchical = 'average';

  configureRound(_ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    return { ...base, sendActivations: false, importanceMethod: '' };
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    const global = ctx.global.weights;
    const delta = pseudoGradient(
      global,
      updates.map((u) => u.weights),
      updates.map((u) => u.numExamples),
    );
    if (!this.state) {
      this.state = initialMoments(global, this.options.tau);
      this.shapes = global.map((w) => ({ name: w.name, shape: [...w.shape] }));
    } else {
      this.checkStateFits(global);
    }
    const { weights, state } = adaptiveStep(this.variant, this.options, global, delta, this.state);
    this.state = state;
    return { model: { topologyJson: ctx.global.topologyJson, weights } };
  }

  /** Rounds the optimiser has stepped (0 before the first aggregate). */
  get steps(): number {
    return this.state?.steps ?? 0;
  }

  /** JSON-safe snapshot of the optimiser moments for a checkpoint. */
  exportState(): unknown {
    return snapshotMoments(this.variant, this.shapes, this.state);
  }

  /** Restores moments from exportState()'s output (validated; throws naming the problem). */
  importState(snapshot: unknown): void {
    const { state, shapes } = restoreMoments(snapshot, this.variant);
    this.state = state;
    this.shapes = shapes;
  }

  private checkStateFits(global: readonly WeightTensor[]): void {
    if (this.shapes.length !== global.length) {
      throw new Error(`${this.name}: optimiser state has ${this.shapes.length} weight tensors, the global model ${global.length}`);
    }
    global.forEach((w, t) => {
      const want = this.shapes[t].shape.join('x');
      if (w.shape.join('x') !== want) {
        throw new Error(`${this.name}: optimiser state for weight ${t} is ${want}, the global model's is ${w.shape.join('x')}`);
      }
    });
  }
}

export class FedAdam extends AdaptiveServerStrategy {
  constructor(options: unknown = {}) {
    super('adam', options);
  }
}

export class FedYogi extends AdaptiveServerStrategy {
  constructor(options: unknown = {}) {
    super('yogi', options);
  }
}

export class FedAdagrad extends AdaptiveServerStrategy {
  constructor(options: unknown = {}) {
    super('adagrad', options);
  }
}
