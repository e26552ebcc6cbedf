// The dashboard's view of a federation, built only from whitelisted fields of the events (never tokens, weights or
// anything else a payload may carry). Pure functions: every change returns a new state.
import { z } from 'zod';
import type { DashboardEventName, DashboardSnapshot } from './dashboard-source.js';
import { fusionReportSchema, roundRowSchema, type RoundRow } from '../rounds/round-row.js';

export interface DashboardState {
  title: string;
  phase: string;
  currentRound: number;
  totalRounds: number | null;
  /** Sorted client ids. */
  connectedClients: string[];
  /** Round of the last round-started event; `sampled` and `accepted` belong to it. */
  sampledRound: number | null;
  /** Clients sampled for that round, and those whose update was accepted. */
  sampled: string[];
  accepted: string[];
  /** Finished rounds in order (the same rows `run` and `serve` print). */
  rounds: RoundRow[];
  /** Cluster mode: the nodes, which one leads and the clients each holds (empty for a single server). */
  nodes: DashboardNode[];
  /** The latest problems with clients, oldest first (at most MAX_PROBLEMS). */
  problems: DashboardProblem[];
  /** Client bans in force after the last finished round (client bans configured). */
  banned: DashboardBan[];
}

export interface DashboardBan {
  clientId: string;
  fromRound: number;
  untilRound: number;
  reason: string;
}

/** An update refused or excluded from the aggregate, or an error a client reported, as the dashboard lists it. */
export interface DashboardProblem {
  round: number;
  clientId: string;
  kind: 'rejected' | 'excluded' | 'client error';
  /** The error code (when there is one) and the reason, capped. */
  detail: string;
}

/** How many problems the page keeps: enough to see a pattern, bounded so a flood cannot bloat every update. */
export const MAX_PROBLEMS = 50;

export interface DashboardNode {
  nodeId: string;
  url: string;
  alive: boolean;
  leader: boolean;
  clients: number;
}

// Ids are shown, not trusted: cap their length so one odd id cannot bloat every update sent to browsers.
const MAX_ID_LENGTH = 120;
/** Text longer than `max` characters cut to `max`, its last one an ellipsis. */
const capped = (max: number) => (text: string) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const clientId = z.string().min(1).transform(capped(MAX_ID_LENGTH));
const clientRef = z.union([clientId, z.object({ clientId })]).transform((v) => (typeof v === 'string' ? v : v.clientId));
const round = z.number().int().min(0);
// The server reports these as id lists; a plain count is accepted too.
const countOf = z.union([z.array(z.unknown()).transform((a) => a.length), z.number().int().min(0)]);
// Rejected updates come counted per reason ({ count } each); a plain count or a list of ids is accepted too.
const rejectedCount = z.union([
  z.array(z.object({ count: z.number().int().min(0) })).transform((a) => a.reduce((n, r) => n + r.count, 0)),
  countOf,
]);

const shortText = z.string().min(1).transform(capped(MAX_ID_LENGTH));
const clusterNode = z.object({ nodeId: shortText, url: shortText, alive: z.boolean(), leader: z.boolean(), clients: z.number().int().min(0) });
const MAX_DETAIL_LENGTH = 300;
// update-rejected carries { code, reason }, update-excluded { reason }, client-error { code, message }.
const problem = z
  .object({ round, clientId, code: z.string().optional(), reason: z.string().optional(), message: z.string().optional() })
  .transform(({ round: r, clientId: id, code, reason, message }) => ({
    round: r,
    clientId: id,
    detail: capped(MAX_DETAIL_LENGTH)([code, reason ?? message].filter((t): t is string => t !== undefined && t.length > 0).join(': ')),
  }));
const PROBLEM_KIND = { 'update-rejected': 'rejected', 'update-excluded': 'excluded', 'client-error': 'client error' } as const;
const phaseName = z.string().min(1).transform(displayPhase);
const phaseChanged = z.object({ phase: phaseName, round: round.optional() });
const roundStarted = z.object({ round, sampled: z.array(clientRef) });
const updateAccepted = z.object({ round, clientId });
const ban = z.object({ clientId, fromRound: round, untilRound: round, reason: z.string().transform(capped(MAX_DETAIL_LENGTH)) });
// A round summary read into a row: its client lists counted, and its fusion report cut to the row's fields.
const roundFinished = roundRowSchema.extend({
  banned: z.array(ban).max(1000).optional(),
  participants: countOf,
  stragglers: countOf,
  rejected: rejectedCount,
  fusion: fusionReportSchema.optional(),
});

export function initialState(title: string, snapshot: DashboardSnapshot): DashboardState {
  return mergeSnapshot(
    {
      title,
      phase: 'waiting for clients',
      currentRound: 0,
      totalRounds: null,
      connectedClients: [],
      sampledRound: null,
      sampled: [],
      accepted: [],
      rounds: [],
      nodes: [],
      problems: [],
      banned: [],
    },
    snapshot,
  );
}

/** 'waiting-for-clients' → 'waiting for clients'; capped so a long name cannot stretch the page. */
export function displayPhase(phase: string): string {
  return phase.replace(/[-_]+/g, ' ').slice(0, 60);
}

const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

/** Folds the source's snapshot in: it is the authority on round, phase and (when it lists them) connected clients. */
export function mergeSnapshot(state: DashboardState, snapshot: DashboardSnapshot): DashboardState {
  const next = { ...state };
  if (Number.isInteger(snapshot.currentRound) && snapshot.currentRound >= 0) next.currentRound = snapshot.currentRound;
  if (snapshot.totalRounds !== undefined && Number.isInteger(snapshot.totalRounds)) next.totalRounds = snapshot.totalRounds;
  if (typeof snapshot.phase === 'string' && snapshot.phase) next.phase = displayPhase(snapshot.phase);
  if (snapshot.connectedClients) {
    next.connectedClients = sorted(snapshot.connectedClients.flatMap((id) => {
      const parsed = clientId.safeParse(id);
      return parsed.success ? [parsed.data] : [];
    }));
  }
  if (snapshot.nodes) {
    const parsed = z.array(clusterNode).max(1000).safeParse(snapshot.nodes);
    if (parsed.success) next.nodes = [...parsed.data].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }
  return next;
}

export type ApplyResult = { ok: true; state: DashboardState } | { ok: false; error: string };

/** The state after one event, or why the payload was not understood (the state is then left as it was). */
export function applyEvent(state: DashboardState, event: DashboardEventName, payload: unknown): ApplyResult {
  const fail = (error: z.ZodError) => ({
    ok: false as const,
    error: `${event}: ${error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ')}`,
  });
  switch (event) {
    case 'client-joined':
    case 'client-left': {
      const parsed = clientRef.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const others = state.connectedClients.filter((id) => id !== parsed.data);
      const connectedClients = event === 'client-joined' ? sorted([...others, parsed.data]) : others;
      return { ok: true, state: { ...state, connectedClients } };
    }
    case 'round-started': {
      const parsed = roundStarted.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const { round: r, sampled } = parsed.data;
      // A retried round samples more clients and keeps the updates it already accepted.
      const retry = r === state.sampledRound && !state.rounds.some((x) => x.round === r);
      return {
        ok: true,
        state: {
          ...state,
          currentRound: r,
          phase: 'training',
          sampledRound: r,
          sampled: retry ? sorted([...state.sampled, ...sampled]) : sorted(sampled),
          accepted: retry ? state.accepted : [],
        },
      };
    }
    case 'update-accepted': {
      const parsed = updateAccepted.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      if (parsed.data.round !== state.sampledRound) return { ok: true, state };
      const accepted = sorted([...state.accepted, parsed.data.clientId]);
      const allIn = state.sampled.length > 0 && state.sampled.every((id) => accepted.includes(id));
      return { ok: true, state: { ...state, accepted, phase: allIn ? 'aggregating' : state.phase } };
    }
    case 'phase': {
      const parsed = phaseChanged.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      return { ok: true, state: { ...state, phase: parsed.data.phase } };
    }
    case 'update-rejected':
    case 'update-excluded':
    case 'client-error': {
      const parsed = problem.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const problems = [...state.problems, { ...parsed.data, kind: PROBLEM_KIND[event] }].slice(-MAX_PROBLEMS);
      return { ok: true, state: { ...state, problems } };
    }
    case 'round-finished': {
      const parsed = roundFinished.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const { banned, ...row } = parsed.data;
      const rounds = [...state.rounds.filter((x) => x.round !== row.round), row].sort((a, b) => a.round - b.round);
      const done = state.totalRounds !== null && row.round >= state.totalRounds;
      const latest = row.round >= Math.max(0, ...state.rounds.map((x) => x.round));
      return {
        ok: true,
        state: { ...state, rounds, currentRound: row.round, phase: done ? 'finished' : 'between rounds', banned: latest ? banned ?? [] : state.banned },
      };
    }
  }
}
