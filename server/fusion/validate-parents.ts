// Checks that the parents can be fused into one architecture, before any work: same input, same layer sequence
// and geometry, same number of levels and outputs; importance and targets of the right sizes. Errors name the
// parent, level and field at fault.
import type * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { splitLevels, type Level } from '@fedfuse/client/internal/model/levels.js';
import { FUSION_METHODS, type FusionOptions, type ParentModel } from './types.js';

export interface ParentsInfo {
  /** levels[p][l]. */
  levels: Level[][];
  numLevels: number;
  /** widths[p][l]: neurons of parent p at level l. */
  widths: number[][];
  /** Fused width per level (hidden levels from options or parent 0, output = parents' output width). */
  fusedWidths: number[];
}

// Config fields that change what a layer computes (names, seeds, initialisers and dropout rates do not).
const GEOMETRY_KEYS = ['activation', 'kernelSize', 'strides', 'padding', 'dilationRate', 'poolSize', 'dataFormat', 'targetShape'];

function geometry(layer: tf.layers.Layer): string {
  const cfg = layer.getConfig() as Record<string, unknown>;
  const picked: Record<string, unknown> = { class: layer.getClassName() };
  for (const key of GEOMETRY_KEYS) if (cfg[key] !== undefined) picked[key] = cfg[key];
  return JSON.stringify(picked);
}

function inputShape(model: tf.LayersModel): number[] {
  return (model.inputs[0].shape as (number | null)[]).slice(1).map((d) => d ?? -1);
}

export function validateParents(parents: readonly ParentModel[], probeX: tf.Tensor, opts: FusionOptions): ParentsInfo {
  if (!FUSION_METHODS.includes(opts.method)) {
    throw new Error(`unknown fusion method ${String(opts.method)} (expected one of ${FUSION_METHODS.join(', ')})`);
  }
  if (parents.length === 0) throw new Error('fusion needs at least one parent model');
  if (opts.method === 'hf' && parents.length !== 2) {
    throw new Error(`HF fusion needs exactly 2 parents, got ${parents.length} (use kf-linear for more)`);
  }
  const levels = parents.map((p, i) => {
    try {
      return splitLevels(p.model);
    } catch (e) {
      throw new Error(`parent ${i}: ${(e as Error).message}`);
    }
  });
  const ref = parents[0].model;
  const refInput = inputShape(ref);
  const refLayers = ref.layers.map(geometry);
  parents.forEach((p, i) => {
    if (i === 0) return;
    const shape = inputShape(p.model);
    if (shape.join(',') !== refInput.join(',')) {
      throw new Error(`parent ${i} input shape [${shape.join(', ')}] differs from parent 0's [${refInput.join(', ')}]`);
    }
    if (levels[i].length !== levels[0].length) {
      throw new Error(`parent ${i} has ${levels[i].length} levels, parent 0 has ${levels[0].length}`);
    }
    const layers = p.model.layers.map(geometry);
    if (layers.length !== refLayers.length) {
      throw new Error(`parent ${i} has ${layers.length} layers, parent 0 has ${refLayers.length}`);
    }
    layers.forEach((g, l) => {
      if (g !== refLayers[l]) {
        throw new Error(`parent ${i} layer ${l} (${p.model.layers[l].name}) is ${g}, parent 0 has ${refLayers[l]}`);
      }
    });
  });
  const numLevels = levels[0].length;
  const widths = levels.map((ls) => ls.map((l) => l.width));
  const outputs = widths.map((w) => w[numLevels - 1]);
  const badOut = outputs.findIndex((o) => o !== outputs[0]);
  if (badOut >= 0) {
    throw new Error(`parent ${badOut} has ${outputs[badOut]} outputs, parent 0 has ${outputs[0]}: output classes must match`);
  }

  if (probeX.rank !== refInput.length + 1 || probeX.shape.slice(1).join(',') !== refInput.join(',')) {
    throw new Error(`probe inputs have shape [${probeX.shape.join(', ')}], models expect [n, ${refInput.join(', ')}]`);
  }
  if (probeX.shape[0] < 1) throw new Error('probe set is empty');

  let hidden = widths[0].slice(0, numLevels - 1);
  if (opts.widths !== undefined) {
    if (opts.widths.length !== numLevels - 1) {
      throw new Error(`widths has ${opts.widths.length} entries, the models have ${numLevels - 1} hidden levels`);
    }
    opts.widths.forEach((w, l) => {
      if (!Number.isInteger(w) || w < 1) throw new Error(`widths[${l}] must be a positive integer, got ${w}`);
    });
    hidden = [...opts.widths];
  }
  if (opts.method === 'hf') {
    for (let l = 0; l < numLevels - 1; l++) {
      if (widths[0][l] !== widths[1][l] || hidden[l] !== widths[0][l]) {
        throw new Error(
          `HF fusion keeps widths: level ${l} has ${widths[0][l]} and ${widths[1][l]} neurons, fused width ${hidden[l]}`,
        );
      }
    }
  }
  for (let l = 0; l < numLevels - 1; l++) {
    const total = widths.reduce((a, w) => a + w[l], 0);
    if (hidden[l] > total) {
      throw new Error(`level ${l}: fused width ${hidden[l]} exceeds the parents' ${total} neurons`);
    }
  }

  parents.forEach((p, i) => {
    if (p.scale !== undefined && !(Number.isFinite(p.scale) && p.scale > 0)) {
      throw new Error(`parent ${i}: scale must be a finite number > 0, got ${p.scale}`);
    }
    if (p.importance !== undefined) {
      if (p.importance.length !== numLevels) {
        throw new Error(`parent ${i}: importance has ${p.importance.length} levels, model has ${numLevels}`);
      }
      p.importance.forEach((s, l) => {
        if (s.length !== widths[i][l]) {
          throw new Error(`parent ${i} level ${l}: ${s.length} importance scores for ${widths[i][l]} neurons`);
        }
        for (const v of s) {
          if (!(Number.isFinite(v) && v >= 0)) throw new Error(`parent ${i} level ${l}: importance score ${v} is not finite and >= 0`);
        }
      });
    }
    if (p.targets !== undefined && p.targets.length !== numLevels) {
      throw new Error(`parent ${i}: targets for ${p.targets.length} levels, model has ${numLevels}`);
    }
  });

  return { levels, numLevels, widths, fusedWidths: [...hidden, outputs[0]] };
}
