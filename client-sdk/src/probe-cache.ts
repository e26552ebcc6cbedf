// The server sends its fusion probe set once per connection and names it by sha256 in every task; the client keeps
// the latest set it was sent (one: a federation uses one probe set, and it can be large).
import type { fedfuse } from './proto/generated/fedfuse.js';
import { decodeFloatTensor, decodeInt32Tensor } from './proto/tensor-codec.js';

export interface ProbeSetData {
  x: { shape: number[]; values: Float32Array };
  y: Int32Array | undefined;
}

/** What a task's probe fields resolve to: the set, or the hash the client must ask the server for. */
export type ProbeLookup = { ok: true; probe: ProbeSetData } | { ok: false; missingSha256: string };

function decodeProbe(task: fedfuse.v1.ITrainTask): ProbeSetData {
  const x = decodeFloatTensor(task.probeInputs!, { maxElements: 1 << 28 });
  if (x.shape.length < 2) throw new Error(`round ${task.round}: the probe set has shape [${x.shape.join(', ')}]; expected [examples, ...input shape]`);
  const y = task.probeLabels ? decodeInt32Tensor(task.probeLabels, { expectShape: [x.shape[0]] }).values : undefined;
  return { x, y };
}

export class ProbeCache {
  private latest: { sha256: string; probe: ProbeSetData } | undefined;

  /** The probe set a task needs: the one it carries (then cached under its hash), or the cached one it names. */
  lookup(task: fedfuse.v1.ITrainTask): ProbeLookup {
    const sha256 = task.probeSha256 ?? '';
    if (task.probeInputs) {
      const probe = decodeProbe(task);
      if (sha256) this.latest = { sha256, probe };
      return { ok: true, probe };
    }
    if (!sha256) throw new Error(`round ${task.round}: the server asked for probe outputs but sent no probe set`);
    if (this.latest?.sha256 === sha256) return { ok: true, probe: this.latest.probe };
    return { ok: false, missingSha256: sha256 };
  }

  get heldSha256(): string | undefined {
    return this.latest?.sha256;
  }
}
