// Compact model descriptions that scenario files use ("784-256-10 ReLU"), validated and turned into TF.js models.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { z } from 'zod';

const activation = z.enum(['relu', 'tanh', 'sigmoid', 'linear']);

export const layerSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dense'), units: z.number().int().positive(), activation: activation.default('relu') }),
  z.object({
    type: z.literal('conv2d'),
    filters: z.number().int().positive(),
    kernelSize: z.number().int().positive(),
    strides: z.number().int().positive().default(1),
    padding: z.enum(['valid', 'same']).default('valid'),
    activation: activation.default('relu'),
  }),
  z.object({ type: z.literal('maxPooling2d'), poolSize: z.number().int().positive().default(2) }),
  z.object({ type: z.literal('averagePooling2d'), poolSize: z.number().int().positive().default(2) }),
  z.object({ type: z.literal('flatten') }),
  z.object({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }),
]);

export const modelSpecSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('mlp'),
      /** Layer widths from input to output, e.g. [784, 256, 10]. */
      widths: z.array(z.number().int().positive()).min(2),
      activation: activation.default('relu'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sequential'),
      inputShape: z.array(z.number().int().positive()).min(1),
      layers: z.array(layerSpecSchema).min(1),
    })
    .strict(),
], { error: "expected kind 'mlp' (with widths) or 'sequential' (with inputShape and layers)" });

export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type LayerSpec = z.infer<typeof layerSpecSchema>;

/** Builds an uncompiled model; the last dense layer stays linear (logits), softmax is applied by the loss. */
export function buildModel(spec: ModelSpec, seed = 0): tf.LayersModel {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed * 1000 + i });
  const model = tf.sequential();
  if (spec.kind === 'mlp') {
    const { widths } = spec;
    for (let i = 1; i < widths.length; i++) {
      const last = i === widths.length - 1;
      model.add(
        tf.layers.dense({
          units: widths[i],
          activation: last ? 'linear' : spec.activation,
          kernelInitializer: init(i),
          ...(i === 1 ? { inputShape: [widths[0]] } : {}),
        }),
      );
    }
    return model;
  }
  spec.layers.forEach((layer, i) => {
    const first = i === 0 ? { inputShape: spec.inputShape } : {};
    switch (layer.type) {
      case 'dense':
        model.add(tf.layers.dense({ units: layer.units, activation: layer.activation, kernelInitializer: init(i), ...first }));
        break;
      case 'conv2d':
        model.add(
          tf.layers.conv2d({
            filters: layer.filters,
            kernelSize: layer.kernelSize,
            strides: layer.strides,
            padding: layer.padding,
            activation: layer.activation,
            kernelInitializer: init(i),
            ...first,
          }),
        );
        break;
      case 'maxPooling2d':
        model.add(tf.layers.maxPooling2d({ poolSize: layer.poolSize, ...first }));
        break;
      case 'averagePooling2d':
        model.add(tf.layers.averagePooling2d({ poolSize: layer.poolSize, ...first }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten(first));
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ rate: layer.rate, ...first }));
        break;
    }
  });
  return model;
}

/** Flat input size a model expects per example (e.g. 784 for MNIST MLPs, 28*28*1 for convs). */
export function inputShapeOf(spec: ModelSpec): number[] {
  return spec.kind === 'mlp' ? [spec.widths[0]] : spec.inputShape;
}
