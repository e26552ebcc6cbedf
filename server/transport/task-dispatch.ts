// The server's side of a training task: sending it to a sampled client (with the probe tensors only when its
// connection was not sent them yet), sending it again when the client says it lacks the probe set, and hearing the
// client's report that it could not carry the task out.
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import type { ClientErrorEvent } from '../federation-events.js';
import { peerText } from '../logging/log-text.js';
import type { RoundPlan, RoundPlanner } from '../rounds/round-planner.js';
import type { ProbeSet } from '../strategies/strategy.js';
import { ProbeDelivery } from './probe-delivery.js';
import type { ClientSession } from './socket-server.js';

const ErrorCode = fedfuse.v1.ErrorCode;

/** A client's error message is shown in logs and events escaped, up to this many characters. */
const MAX_CLIENT_ERROR_CHARS = 500;

export interface TaskDispatchOptions {
  planner: Pick<RoundPlanner, 'task' | 'encodedTask'>;
  /** The plan of `round`: its model payload, and whether its tasks name the probe set. */
  plan: (round: number) => RoundPlan;
  probe?: ProbeSet;
  /** The client's current session (undefined when it is not connected). */
  session: (clientId: string) => ClientSession | undefined;
  /** The task a client owes an update for right now, if any. */
  dueTask: (clientId: string) => { round: number; deadline: number } | undefined;
  log: (line: string) => void;
  /** The server's 'client-error' event. */
  clientError: (e: ClientErrorEvent) => void;
}

export class TaskDispatch {
  private readonly probeDelivery: ProbeDelivery | undefined;

  constructor(private readonly opts: TaskDispatchOptions) {
    this.probeDelivery = opts.probe && new ProbeDelivery(opts.probe);
  }

  /** Sends (or re-sends) `round`'s task; a client that is not connected may reconnect before the deadline. */
  send(clientId: string, round: number, deadline: number): void {
    const { planner, log } = this.opts;
    const plan = this.opts.plan(round);
    const session = this.opts.session(clientId);
    const probeFields = plan.wantsProbe && this.probeDelivery ? this.probeDelivery.taskFields(session) : {};
    // Tiered federations: the client's tier's model (encoded once per tier).
    const tier = session?.tier;
    const sent = probeFields.probeInputs
      ? session?.send({ trainTask: planner.task(plan, deadline, probeFields, tier) })
      : session?.sendEncoded(planner.encodedTask(plan, deadline, probeFields.probeSha256 ?? undefined, tier), 'trainTask');
    if (!sent) {
      log(`round ${round}: could not send the task to ${clientId} (not connected); it may reconnect before the deadline`);
      return;
    }
    if (probeFields.probeInputs) this.probeDelivery!.markDelivered(session!);
  }

  /** The client lacks the probe set its task named: send it the task again, this time with the probe tensors. */
  onProbeRequest(session: ClientSession, request: fedfuse.v1.IProbeRequest): void {
    const { log } = this.opts;
    const round = request.round ?? 0;
    const delivery = this.probeDelivery;
    if (!delivery || request.probeSha256 !== delivery.sha256) {
      log(`round ${round}: ${session.clientId} asked for probe set ${String(request.probeSha256).slice(0, 12)}…, which this server does not hold; ignored`);
      return;
    }
    delivery.forget(session);
    const due = this.opts.dueTask(session.clientId);
    if (due?.round !== round) {
      log(`round ${round}: ${session.clientId} asked for the probe set of a task no longer due; it gets it with its next task`);
      return;
    }
    log(`round ${round}: ${session.clientId} does not hold the probe set; re-sending its task with it`);
    this.send(session.clientId, round, due.deadline);
  }

  /** The client could not carry out its task (e.g. its local training threw); its message is peer text. */
  onClientError(session: ClientSession, error: fedfuse.v1.IError): void {
    const round = error.round ?? 0;
    const code = ErrorCode[error.code ?? ErrorCode.UNKNOWN] ?? String(error.code);
    const message = peerText(String(error.message ?? ''), MAX_CLIENT_ERROR_CHARS);
    this.opts.log(`round ${round}: client ${session.clientId} reported ${code}: ${message}`);
    this.opts.clientError({ round, clientId: session.clientId, code, message });
  }
}
