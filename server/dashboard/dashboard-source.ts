// What the dashboard needs from a federation: its events and a cheap read-only snapshot. Kept this small so the
// dashboard can be tested with a fake source, and so it can never reach tokens, models or anything that changes state.

/** Events of the FederationServer the dashboard listens to. */
export const DASHBOARD_EVENTS = [
  'client-joined',
  'client-left',
  'round-started',
  'update-accepted',
  'round-finished',
  /** What went wrong with a client: an update refused or excluded from the aggregate, an error the client reported. */
  'update-rejected',
  'update-excluded',
  'client-error',
  /** Optional: { phase, round } when the server's phase changes; without it the phase is inferred and polled. */
  'phase',
] as const;

export type DashboardEventName = (typeof DASHBOARD_EVENTS)[number];

/** Payloads are validated by the dashboard (see dashboard-state.ts), so a source may pass whatever it emits. */
export type DashboardListener = (payload: unknown) => void;

export interface DashboardSnapshot {
  currentRound: number;
  /** Rounds the federation will run, if known. */
  totalRounds?: number;
  /** The server's own phase name (e.g. 'training', 'aggregating'); inferred from events when absent. */
  phase?: string;
  /** Ids of the clients connected now; tracked from join/leave events when absent. */
  connectedClients?: readonly string[];
  /** Cluster mode: the federation's nodes, which one leads, and how many clients each holds. */
  nodes?: readonly { nodeId: string; url: string; alive: boolean; leader: boolean; clients: number }[];
}

export interface DashboardSource {
  on(event: DashboardEventName, listener: DashboardListener): unknown;
  off(event: DashboardEventName, listener: DashboardListener): unknown;
  /** Read on every event and about once a second; must be cheap and must not change anything. */
  snapshot(): DashboardSnapshot;
}
