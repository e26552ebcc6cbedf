// Adapts the FederationServer to what the dashboard reads. Only the server's public getters and events are used;
// events carry more (an accepted update holds its weights), but the dashboard keeps whitelisted fields only.
import type { FederationServer } from '../federation-server.js';
import type { DashboardListener, DashboardSnapshot, DashboardSource } from './dashboard-source.js';

export function dashboardSourceOf(server: FederationServer, opts: { totalRounds?: number } = {}): DashboardSource {
  // The server's typed emitter wants each event's own listener type; ours takes unknown and validates it.
  const emitter = server as unknown as {
    on(event: string, listener: DashboardListener): unknown;
    off(event: string, listener: DashboardListener): unknown;
  };
  return {
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    snapshot: (): DashboardSnapshot => {
      const phase = server.phase;
      const total = opts.totalRounds;
      // currentRound is rounds + 1 once finished; show the last round then.
      const currentRound = total !== undefined ? Math.min(server.currentRound, total) : server.currentRound;
      const nodes = server.clusterNodes;
      return {
        currentRound,
        totalRounds: total,
        phase,
        connectedClients: server.connectedClients,
        ...(nodes.length > 0 ? { nodes: nodes.map(({ nodeId, url, alive, leader, clients }) => ({ nodeId, url, alive, leader, clients })) } : {}),
      };
    },
  };
}
