// One optimiser step per batch behind one interface, so the local-training loop (shuffling, epochs, progress events,
// yielding, abort) is the same whichever engine runs the step: TF.js, or the fused dense kernels where they apply.

export interface BatchTrainer {
  /** One optimiser step on the examples at `rows`; returns the batch's mean cross-entropy (no proximal term). */
  step(rows: Int32Array): number;
  /** Leaves the latest weights in the model and frees what the trainer holds (also after an abort). */
  finish(): void;
}
