// What the fault campaign (bench/faults/campaign.ts) and its client processes (campaign-client.ts) tell each other
// over Node IPC. A client process is one SDK FederatedClient with its own MNIST slice; the faults it plays on itself
// (killed mid-upload, a slow device, a switch to another node) come in its config, so they happen at the exact point
// of the SDK's own work.

/** A fault a client process plays on itself in `round`. */
export type ClientFault =
  /** Its upload is sent, then the process SIGKILLs itself before the ack can arrive (or the upload is complete). */
  | { kind: 'client-kill-mid-upload'; round: number }
  /** On its task it blocks its event loop for `ms`, as a busy phone would. */
  | { kind: 'slow-client'; round: number; ms: number }
  /** On its task its connection is cut: it reconnects to the next node of its list. */
  | { kind: 'client-switch-node'; round: number };

export interface CampaignClientConfig {
  clientId: string;
  token: string;
  /** Every node's URL; it connects to urls[0] first and moves along the list on each reconnect attempt. */
  urls: string[];
  /** MNIST training images [offset, offset + limit). */
  offset: number;
  limit: number;
  faults: ClientFault[];
}

/** A client's own log, as the invariants read it: what it trained, what was acked, what models it received. */
export type ClientEvent =
  | { type: 'ready' }
  | { type: 'joined' }
  | { type: 'task'; round: number; resent: boolean }
  | { type: 'trained'; round: number }
  | { type: 'acked'; round: number }
  | { type: 'model'; round: number; sha: string; final: boolean }
  | { type: 'status'; state: string; round: number }
  | { type: 'error'; code: string; message: string; round: number }
  | { type: 'reconnected' }
  /** It plays one of its faults now (a self-kill follows 'client-kill-mid-upload' at once). */
  | { type: 'fault'; fault: ClientFault }
  | { type: 'finished' }
  | { type: 'failed'; message: string };
