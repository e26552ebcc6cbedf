// The fusion probe set travels once per connection: every TrainTask names it by sha256, and only a connection that
// was not yet sent that set gets the tensors (≈1.25 MB for 400 MNIST images) with its task. A client that lacks the
// named set (it restarted, or evicted it) sends a ProbeRequest; the server then forgets what it sent that
// connection and re-sends the task. A reconnecting client has a new connection, so it is sent the set again.
import { createHash } from 'node:crypto';
import type { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { encodeFloatTensor, encodeInt32Tensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import type { ClientSession } from './socket-server.js';
import type { ProbeSet } from '../strategies/strategy.js';

type ProbeFields = Pick<fedfuse.v1.ITrainTask, 'probeSha256' | 'probeInputs' | 'probeLabels'>;

/** sha256 over the probe's shape, float32 values and labels: equal hashes mean the same probe set. */
export function probeSha256(probe: ProbeSet): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ shape: probe.x.shape, labels: probe.y?.length ?? null }));
  hash.update(new Uint8Array(probe.x.values.buffer, probe.x.values.byteOffset, probe.x.values.byteLength));
  if (probe.y) hash.update(new Uint8Array(probe.y.buffer, probe.y.byteOffset, probe.y.byteLength));
  return hash.digest('hex');
}

export class ProbeDelivery {
  readonly sha256: string;
  /** Encoded once: the same bytes go to every connection. */
  private readonly inputs: fedfuse.v1.ITensor;
  private readonly labels: fedfuse.v1.ITensor | undefined;
  /** Connections that were sent the probe tensors; a new connection (reconnect) is not in here. */
  private readonly delivered = new WeakSet<ClientSession>();

  constructor(probe: ProbeSet) {
    this.sha256 = probeSha256(probe);
    this.inputs = encodeFloatTensor('probe_x', probe.x.shape, probe.x.values);
    this.labels = probe.y ? encodeInt32Tensor('probe_y', [probe.y.length], probe.y) : undefined;
  }

  /** The probe fields of a task for this connection: the tensors until it has been sent them (markDelivered). */
  taskFields(session: ClientSession | undefined): ProbeFields {
    if (session && this.delivered.has(session)) return { probeSha256: this.sha256 };
    return { probeSha256: this.sha256, probeInputs: this.inputs, ...(this.labels ? { probeLabels: this.labels } : {}) };
  }

  /** After a task with the tensors went out on this connection (a failed send does not count). */
  markDelivered(session: ClientSession): void {
    this.delivered.add(session);
  }

  /** The client said it does not hold the set: its next task carries the tensors again. */
  forget(session: ClientSession): void {
    this.delivered.delete(session);
  }
}
