// The wasm backend has no Conv2DBackpropFilter kernel, so conv models cannot train on it.
// Placeholder: registered by the conv-training work (see issue 3); until then this is a no-op.
export function registerWasmConvBackprop(): void {}
