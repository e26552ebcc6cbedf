// A cap on joined clients that holds across the nodes of a cluster (issue 23): a seat is claimed, atomically, before
// a client is welcomed, so N nodes cannot admit N × the cap. A client that already holds a seat (it reconnects, to
// any node) keeps it and is not counted twice. Single servers count their own sessions instead (maxClients).
export type SeatClaim = { ok: true } | { ok: false; taken: number; max: number };

export interface ClientSeats {
  claim(clientId: string): Promise<SeatClaim>;
  /** Gives back a seat claimed here for a client that then did not join (its connection closed meanwhile). */
  release(clientId: string): Promise<void>;
}
