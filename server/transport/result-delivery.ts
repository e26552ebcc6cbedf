// Round results to this server's clients: those whose update the aggregate left out are told why first, then the
// result goes to everyone, encoded once. The final model is owed to every client that ever joined, also to one that
// joins (or rejoins) after the last round, and the end of a federation waits until they all had it.
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { RoundSummary } from '../federation-events.js';
import { roundResultMessage } from '../rounds/round-summary.js';
import type { ClientSession } from './socket-server.js';

const ErrorCode = fedfuse.v1.ErrorCode;

/** What results go out through: the server's socket server, once it started. */
export interface ResultTransport {
  readonly clientIds: string[];
  send(clientId: string, body: fedfuse.v1.IEnvelope): boolean;
  broadcast(body: fedfuse.v1.IEnvelope, to?: Iterable<string>): void;
  session(clientId: string): { readonly tier?: string } | undefined;
}

/** A round's result: the global model's, and in tiered federations each tier's (its clients get their tier's model). */
export interface RoundMessages {
  global: fedfuse.v1.IRoundResult;
  tiers?: ReadonlyMap<string, fedfuse.v1.IRoundResult>;
}

/** The message a client of `tier` gets. */
function messageFor(messages: RoundMessages, tier: string | undefined): fedfuse.v1.IRoundResult {
  return (tier !== undefined ? messages.tiers?.get(tier) : undefined) ?? messages.global;
}

export class ResultDelivery {
  /** The last round's result, once this server sent or adopted it. */
  private finalResult: RoundMessages | undefined;
  private readonly joinedIds = new Set<string>();
  private readonly finalSentTo = new Set<string>();
  private adoptions = 0;

  constructor(private readonly transport: () => ResultTransport | undefined) {}

  /** A round's result to every connected client, after telling the excluded ones why they are not in it. */
  send(messages: RoundMessages, excluded: readonly { clientId: string; reason: string }[]): void {
    const transport = this.transport();
    if (!transport) throw new Error('a round result was sent before the server listened (internal error)');
    const message = messages.global;
    const round = message.round ?? 0;
    for (const { clientId, reason } of excluded) {
      transport.send(clientId, { error: { code: ErrorCode.REJECTED_UPDATE, message: `update excluded from the aggregate: ${reason}`, round } });
    }
    if (message.final) {
      this.finalResult = messages;
      for (const id of transport.clientIds) this.finalSentTo.add(id);
    }
    if (!messages.tiers) {
      transport.broadcast({ roundResult: message });
      return;
    }
    // Each tier's message is encoded once, for its clients.
    const byTier = new Map<string | undefined, string[]>();
    for (const id of transport.clientIds) {
      const tier = transport.session(id)?.tier;
      byTier.set(tier, [...(byTier.get(tier) ?? []), id]);
    }
    for (const [tier, ids] of byTier) transport.broadcast({ roundResult: messageFor(messages, tier) }, ids);
  }

  /**
   * A round committed by a cluster's leader (`last` is its summary), to this node's clients. The first one is read at
   * start, before any client is connected: it is only kept, when final, for the clients that join later.
   */
  adopted(round: number, global: ModelState, last: RoundSummary | undefined, final: boolean): void {
    const atStart = this.adoptions++ === 0;
    const evaluation = last?.accuracy !== undefined && last.loss !== undefined ? { accuracy: last.accuracy, loss: last.loss } : undefined;
    const message = roundResultMessage(round, global, last?.participants ?? [], evaluation, final);
    if (atStart || !last) {
      if (final) this.finalResult = { global: message };
      return;
    }
    this.send({ global: message }, last.excluded);
  }

  /** Every client that joins is owed the final model. */
  clientJoined(clientId: string): void {
    this.joinedIds.add(clientId);
  }

  /**
   * After the last round: the final model to a client that joined late. When this server sent no final result (it
   * resumed past the last round), one is made from the global model and the last round's summary, without metrics.
   */
  sendFinal(session: ClientSession, final: () => RoundMessages): void {
    this.finalResult ??= final();
    if (session.send({ roundResult: messageFor(this.finalResult, session.tier) })) this.finalSentTo.add(session.clientId);
  }

  /**
   * Waits until every client that joined was sent the final model and has left, at most `timeoutMs` (or until
   * `stopped`). Returns the clients never sent it and those still connected, both empty when everyone got it.
   */
  async untilFinalDelivered(timeoutMs: number, stopped: () => boolean): Promise<{ notSent: string[]; stillConnected: string[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const notSent = [...this.joinedIds].filter((id) => !this.finalSentTo.has(id)).sort();
      const stillConnected = this.transport()?.clientIds ?? [];
      const everyoneDone = notSent.length === 0 && stillConnected.length === 0;
      if (everyoneDone || Date.now() >= deadline || stopped()) return { notSent, stillConnected };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
