// A hand-written training step for models made only of Dense layers (an MLP such as 784-256-10): forward pass,
// softmax cross-entropy, backward pass and the SGD/Adam update (with FedProx's proximal term) on plain float32
// buffers, with the matrix products in our own wasm SIMD kernels (dense-kernels.ts).
//
// Why not TF.js: measured on the MLP 784-256-10 at batch 32 on the wasm backend (bench/training-speed.ts), a TF.js
// step costs ~7 ms of CPU even with the matmul fix in tf/wasm-matmul-transpose.ts: ~3 ms in the engine (tape, tidy,
// ~75 kernel calls) and a re-pack of the weights for XNNPACK on every forward pass, around ~1 ms of actual products.
// This path does the same arithmetic in ~1 ms. It is used only where it computes exactly what TF.js computes —
// a chain of Dense layers with linear/relu/tanh/sigmoid activations and biases, on flat inputs, all weights trainable
// — and TF.js runs everything else. A test checks both give the same weights on real MNIST.
import * as tf from '#tf';
import { splitLevels, type Level } from '../model/levels.js';
import type { BatchTrainer } from './batch-trainer.js';
import { instantiateDenseKernels, KERNEL_RESERVED_BYTES, type DenseKernels } from './dense-kernels.js';
import type { LocalTrainingConfig } from './training-config.js';

type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid';
const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'tanh', 'sigmoid'];

/** One Dense layer of the chain: its weights (tf.Variables of the model) and sizes. */
interface DenseLayerPlan {
  inputs: number;
  units: number;
  activation: Activation;
  kernel: tf.Variable;
  bias: tf.Variable;
}

/**
 * The model as a chain of Dense layers the fused step can train, or undefined when it is anything else (conv,
 * dropout, other activations, no bias, frozen weights, more than one input or output, non-flat input).
 */
export function fusedDensePlan(model: tf.LayersModel): DenseLayerPlan[] | undefined {
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || model.inputs[0].shape.length !== 2) return undefined;
  let levels: Level[];
  try {
    levels = splitLevels(model);
  } catch {
    return undefined;
  }
  const plain = levels.every(
    (l) =>
      l.kind === 'dense' &&
      l.followers.length === 0 &&
      l.prefix.every((p) => p.getClassName() === 'InputLayer') &&
      ACTIVATIONS.includes(l.activation) &&
      l.weightLayer.trainable &&
      l.weightLayer.trainableWeights.length === 2,
  );
  // Every trainable weight of the model must be one of the chain's (the TF.js path trains all of them).
  if (!plain || model.trainableWeights.length !== 2 * levels.length) return undefined;
  const plan = levels.map((l) => {
    const [kernel, bias] = l.weightLayer.trainableWeights.map((w) => w.read() as tf.Variable);
    return { inputs: kernel.shape[0], units: kernel.shape[1] ?? 0, activation: l.activation as Activation, kernel, bias };
  });
  const chained = plan.every((p, i) => p.kernel.rank === 2 && p.bias.rank === 1 && (i === 0 || p.inputs === plan[i - 1].units));
  return chained && plan[0].inputs === model.inputs[0].shape[1] ? plan : undefined;
}

/** A float32 buffer in the kernels' memory: its byte offset (for the kernels) and a view (for JS). */
interface Region {
  ptr: number;
  view: Float32Array;
}

/** Lays buffers out one after another (16-byte aligned, for SIMD loads) and makes their views once sized. */
class Layout {
  private bytes = 0;
  private readonly pending: { floats: number; set: (b: Region) => void }[] = [];

  add(floats: number, set: (b: Region) => void): void {
    this.pending.push({ floats, set });
    this.bytes += Math.ceil(floats / 4) * 16;
  }

  get size(): number {
    return this.bytes;
  }

  /** Views on the kernels' memory; it never grows afterwards, so they stay attached. */
  place(memory: WebAssembly.Memory): void {
    let ptr = KERNEL_RESERVED_BYTES;
    for (const p of this.pending) {
      p.set({ ptr, view: new Float32Array(memory.buffer, ptr, p.floats) });
      ptr += Math.ceil(p.floats / 4) * 16;
    }
  }
}

interface LayerBuffers {
  plan: DenseLayerPlan;
  weights: Region;
  bias: Region;
  kernelGrad: Region;
  biasGrad: Region;
  /** Pre-activation, then (in place) activation, per example of the batch. */
  out: Region;
  /** Gradient of the loss with respect to the pre-activation. */
  outGrad: Region;
}

class FusedDenseTrainer implements BatchTrainer {
  private layers: LayerBuffers[] = [];
  private input!: Region;
  /** All weights, then all gradients, Adam moments and the FedProx anchor, each in the same order. */
  private params!: Region;
  private grads!: Region;
  private moment1?: Region;
  private moment2?: Region;
  private anchor?: Region;
  private accBeta1 = 0;
  private accBeta2 = 0;
  private readonly paramCount: number;
  private kernels!: DenseKernels;

  constructor(
    private readonly plan: DenseLayerPlan[],
    private readonly x: Float32Array,
    private readonly labels: Int32Array,
    private readonly numClasses: number,
    private readonly config: LocalTrainingConfig,
    private readonly epsilon: number,
  ) {
    this.paramCount = plan.reduce((n, p) => n + p.inputs * p.units + p.units, 0);
  }

  /** Sizes every buffer, instantiates the kernels and copies the model's weights in; false where wasm SIMD is missing. */
  async init(): Promise<boolean> {
    const { plan, config, paramCount } = this;
    const batch = config.batchSize;
    const layout = new Layout();
    layout.add(paramCount, (b) => (this.params = b));
    layout.add(paramCount, (b) => (this.grads = b));
    if (config.optimizer === 'adam') {
      layout.add(paramCount, (b) => (this.moment1 = b));
      layout.add(paramCount, (b) => (this.moment2 = b));
    }
    if (config.proximalMu > 0) layout.add(paramCount, (b) => (this.anchor = b));
    layout.add(batch * plan[0].inputs, (b) => (this.input = b));
    const partial = plan.map((p) => ({ plan: p }) as LayerBuffers);
    for (const l of partial) {
      layout.add(l.plan.units * batch, (b) => (l.out = b));
      layout.add(l.plan.units * batch, (b) => (l.outGrad = b));
    }
    const kernels = await instantiateDenseKernels(layout.size);
    if (!kernels) return false;
    this.kernels = kernels;
    layout.place(kernels.memory);
    // Weights and gradients of layer i are views into the one parameter block (kernel, then bias, per layer).
    let offset = 0;
    const slice = (block: Region, floats: number, at: number): Region => ({
      ptr: block.ptr + at * 4,
      view: block.view.subarray(at, at + floats),
    });
    for (const l of partial) {
      const { inputs, units } = l.plan;
      l.weights = slice(this.params, inputs * units, offset);
      l.kernelGrad = slice(this.grads, inputs * units, offset);
      offset += inputs * units;
      l.bias = slice(this.params, units, offset);
      l.biasGrad = slice(this.grads, units, offset);
      offset += units;
      l.weights.view.set(l.plan.kernel.dataSync() as Float32Array);
      l.bias.view.set(l.plan.bias.dataSync() as Float32Array);
    }
    this.layers = partial;
    this.anchor?.view.set(this.params.view);
    this.accBeta1 = Math.fround(0.9);
    this.accBeta2 = Math.fround(0.999);
    return true;
  }

  step(rows: Int32Array): number {
    const size = rows.length;
    const inputs = this.plan[0].inputs;
    const xv = this.input.view;
    for (let i = 0; i < size; i++) xv.set(this.x.subarray(rows[i] * inputs, (rows[i] + 1) * inputs), i * inputs);
    this.forward(size);
    const loss = this.lossGradient(rows);
    this.backward(size);
    this.update();
    return loss;
  }

  private forward(size: number): void {
    const { kernels } = this;
    let input = this.input;
    for (const l of this.layers) {
      const { inputs, units, activation } = l.plan;
      kernels.matmul(input.ptr, l.weights.ptr, l.out.ptr, size, inputs, units, inputs, 1, 0);
      const out = l.out.view;
      const bias = l.bias.view;
      for (let r = 0; r < size; r++) {
        const o = r * units;
        for (let j = 0; j < units; j++) out[o + j] += bias[j];
      }
      activate(activation, out, size * units);
      input = l.out;
    }
  }

  /** Mean softmax cross-entropy of the batch; writes its gradient with respect to the logits (last layer's out). */
  private lossGradient(rows: Int32Array): number {
    const size = rows.length;
    const classes = this.numClasses;
    const last = this.layers[this.layers.length - 1];
    const logits = last.out.view;
    const grad = last.outGrad.view;
    let total = 0;
    for (let r = 0; r < size; r++) {
      const o = r * classes;
      let max = -Infinity;
      for (let j = 0; j < classes; j++) max = Math.max(max, logits[o + j]);
      let sum = 0;
      for (let j = 0; j < classes; j++) sum += Math.exp(logits[o + j] - max);
      const label = this.labels[rows[r]];
      total += Math.log(sum) + max - logits[o + label];
      for (let j = 0; j < classes; j++) grad[o + j] = (Math.exp(logits[o + j] - max) / sum - (j === label ? 1 : 0)) / size;
    }
    // The last layer's own activation (linear for logits) scales the gradient like any other layer's.
    derive(last.plan.activation, logits, grad, size * classes);
    return total / size;
  }

  private backward(size: number): void {
    const { kernels, layers } = this;
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i];
      const { inputs, units } = l.plan;
      const input = i === 0 ? this.input : layers[i - 1].out;
      // dW = inputᵀ·dZ, the input read transposed in place (rowStride 1, colStride = its row length).
      kernels.matmul(input.ptr, l.outGrad.ptr, l.kernelGrad.ptr, inputs, size, units, 1, inputs, 0);
      const dz = l.outGrad.view;
      const db = l.biasGrad.view;
      db.fill(0);
      for (let r = 0; r < size; r++) for (let j = 0; j < units; j++) db[j] += dz[r * units + j];
      if (i === 0) continue;
      // dX = dZ·Wᵀ is the gradient of the previous layer's output; then through that layer's activation.
      const prev = layers[i - 1];
      kernels.matmulTransposedB(l.outGrad.ptr, l.weights.ptr, prev.outGrad.ptr, size, units, inputs);
      derive(prev.plan.activation, prev.out.view, prev.outGrad.view, size * inputs);
    }
  }

  private update(): void {
    const { kernels, config, params, grads, paramCount } = this;
    if (this.anchor) kernels.addProximal(grads.ptr, params.ptr, this.anchor.ptr, paramCount, config.proximalMu);
    if (config.optimizer === 'sgd') {
      kernels.sgdStep(params.ptr, grads.ptr, paramCount, config.learningRate);
      return;
    }
    // tf.train.adam keeps β1ᵗ and β2ᵗ as float32 scalars, starting at β and multiplied after each step.
    const correction1 = Math.fround(1 - this.accBeta1);
    const correction2 = Math.fround(1 - this.accBeta2);
    kernels.adamStep(
      params.ptr, grads.ptr, this.moment1!.ptr, this.moment2!.ptr, paramCount,
      config.learningRate, 0.9, 0.999, this.epsilon, correction1, correction2,
    );
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(0.9));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(0.999));
  }

  finish(): void {
    for (const l of this.layers) {
      tf.tidy(() => {
        l.plan.kernel.assign(tf.tensor2d(l.weights.view.slice(), [l.plan.inputs, l.plan.units]));
        l.plan.bias.assign(tf.tensor1d(l.bias.view.slice()));
      });
    }
  }
}

/** out ← activation(out), in place. */
function activate(activation: Activation, out: Float32Array, count: number): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < count; i++) if (!(out[i] > 0)) out[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) out[i] = Math.tanh(out[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
      return;
  }
}

/** grad ← grad · activation′, given the activation's output `out` (relu: out > 0; tanh: 1 − out²; sigmoid: out(1 − out)). */
function derive(activation: Activation, out: Float32Array, grad: Float32Array, count: number): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < count; i++) if (!(out[i] > 0)) grad[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) grad[i] *= 1 - out[i] * out[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) grad[i] *= out[i] * (1 - out[i]);
      return;
  }
}

/**
 * A fused trainer for `model` when it is a chain of Dense layers and this runtime has wasm SIMD; undefined otherwise
 * (the caller then trains with TF.js). `examples` gives the examples row-major (read only when the plan applies),
 * `labels` their class ids (validated).
 */
export async function createFusedDenseTrainer(
  model: tf.LayersModel,
  examples: () => Float32Array,
  labels: Int32Array,
  numClasses: number,
  config: LocalTrainingConfig,
): Promise<BatchTrainer | undefined> {
  const plan = fusedDensePlan(model);
  if (!plan) return undefined;
  const trainer = new FusedDenseTrainer(plan, examples(), labels, numClasses, config, tf.backend().epsilon());
  return (await trainer.init()) ? trainer : undefined;
}
