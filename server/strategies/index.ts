// Strategy registry: the names scenario and config files use → Strategy instances. Heavier strategies are
// imported lazily, so a FedAvg server never loads the fusion engines.
import type { Strategy } from './strategy.js';

export type StrategyOptions = Record<string, unknown>;

type StrategyFactory = (options: StrategyOptions) => Promise<Strategy>;

function rejectUnknownOptions(name: string, options: StrategyOptions, known: string[]): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(`strategy ${name} does not take option(s) ${unknown.join(', ')} (known: ${known.join(', ') || 'none'})`);
  }
}

// Each strategy below validates its own options (zod or explicit checks) and names the bad one.
const registry: Record<string, StrategyFactory> = {
  fedavg: async (options) => {
    rejectUnknownOptions('fedavg', options, ['serverStep', 'calibrateOutput']);
    const { FedAvg } = await import('./fedavg.js');
    return new FedAvg(options.serverStep === undefined ? 1 : (options.serverStep as number), options.calibrateOutput === undefined ? false : (options.calibrateOutput as boolean));
  },
  fedmedian: async (options) => {
    rejectUnknownOptions('fedmedian', options, []);
    const { FedMedian } = await import('./fedmedian.js');
    return new FedMedian();
  },
  fedprox: async (options) => {
    rejectUnknownOptions('fedprox', options, ['mu']);
    const { FedProx } = await import('./fedprox.js');
    return new FedProx(options.mu === undefined ? 0.01 : (options.mu as number));
  },
  fedadam: async (options) => new (await import('./fedadam.js')).FedAdam(options),
  fedyogi: async (options) => new (await import('./fedadam.js')).FedYogi(options),
  fedadagrad: async (options) => new (await import('./fedadam.js')).FedAdagrad(options),
  otfusion: async (options) => new (await import('./otfusion.js')).OTFusion(options),
  'weight-matching': async (options) => new (await import('./weight-matching.js')).WeightMatching(options),
  heterofl: async (options) => {
    rejectUnknownOptions('heterofl', options, []);
    return new (await import('./heterofl.js')).HeteroFL();
  },
  fedrolex: async (options) => {
    rejectUnknownOptions('fedrolex', options, []);
    return new (await import('./heterofl.js')).FedRolex();
  },
  'neuron-interpolation': async (options) => {
    const { NeuronInterpolation } = await import('./neuron-interpolation.js');
    return new NeuronInterpolation(options as ConstructorParameters<typeof NeuronInterpolation>[0]);
  },
};

export const strategyNames = Object.keys(registry);

/** Builds the named strategy; unknown names and options are reported with the valid ones. */
export async function createStrategy(name: string, options: StrategyOptions = {}): Promise<Strategy> {
  const factory = registry[name];
  if (!factory) throw new Error(`unknown strategy "${name}" (known: ${strategyNames.join(', ')})`);
  return factory(options);
}

/** Strategies that carry state across rounds (e.g. server optimiser moments) expose it for checkpoints. */
export interface StatefulStrategy extends Strategy {
  exportState(): unknown;
  importState(snapshot: unknown): void;
}

export function isStateful(strategy: Strategy): strategy is StatefulStrategy {
  const s = strategy as Partial<StatefulStrategy>;
  return typeof s.exportState === 'function' && typeof s.importState === 'function';
}
