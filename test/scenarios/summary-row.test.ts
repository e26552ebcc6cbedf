import { expect } from 'chai';
import { roundRowSchema, summaryToRow } from '../../server/rounds/round-row.js';
import type { RoundSummary } from '../../server/federation-server.js';

describe('summaryToRow (round table, rounds.csv, experiment report)', () => {
  it('counts rejected updates over their reasons (the summary holds counts per error code)', () => {
    const summary: RoundSummary = {
      round: 2,
      participants: ['a', 'b'],
      stragglers: ['c'],
      rejected: [
        { code: 'BAD_TENSOR', count: 2, clientIds: ['c'], example: 'weight 0: NaN at index 3' },
        { code: 'WRONG_ROUND', count: 40, clientIds: ['c', 'd'], example: 'update is for round 7, but the current round is 2' },
      ],
      excluded: [],
      bytesSent: 10,
      bytesReceived: 20,
      seconds: 1.5,
      aggregateSeconds: 0.25,
    };
    expect(summaryToRow(summary)).to.deep.equal({
      round: 2,
      participants: 2,
      stragglers: 1,
      rejected: 42,
      accuracy: undefined,
      loss: undefined,
      bytesSent: 10,
      bytesReceived: 20,
      seconds: 1.5,
      aggregateSeconds: 0.25,
    });
  });

  it("keeps a fusion round's path, held-out losses and standard error, dropping a standard error that is not finite", () => {
    const base: RoundSummary = {
      round: 1,
      participants: ['a', 'b'],
      stragglers: [],
      rejected: [],
      excluded: [],
      bytesSent: 1,
      bytesReceived: 1,
      seconds: 1,
      aggregateSeconds: 0.5,
    };
    const report = {
      path: 'fused' as const,
      lossKind: 'cross-entropy' as const,
      fusedProbeLoss: 0.2,
      averageProbeLoss: 0.25,
      standardError: 0.01,
      checkRows: 80,
      ridges: [0.1, Infinity],
    };
    expect(summaryToRow({ ...base, fusion: report }).fusion).to.deep.equal({
      path: 'fused',
      fusedProbeLoss: 0.2,
      averageProbeLoss: 0.25,
      standardError: 0.01,
    });
    expect(summaryToRow({ ...base, fusion: { ...report, standardError: Infinity } }).fusion).to.deep.equal({
      path: 'fused',
      fusedProbeLoss: 0.2,
      averageProbeLoss: 0.25,
    });
  });

  it('gives rows the one row schema accepts, with or without the standard error (older results.json have none)', () => {
    const row = summaryToRow({
      round: 1,
      participants: ['a'],
      stragglers: [],
      rejected: [],
      excluded: [],
      accuracy: 0.5,
      loss: 1,
      bytesSent: 1,
      bytesReceived: 1,
      seconds: 1,
      aggregateSeconds: 0.5,
      fusion: { path: 'fallback', lossKind: 'ensemble-kl', fusedProbeLoss: 0.3, averageProbeLoss: 0.2, standardError: 0.05, checkRows: 40, ridges: [] },
    });
    expect(roundRowSchema.parse(row)).to.deep.equal(row);
    const older = { ...row, fusion: { path: 'fallback', fusedProbeLoss: 0.3, averageProbeLoss: 0.2 } };
    expect(roundRowSchema.parse(JSON.parse(JSON.stringify(older)))).to.deep.equal(older);
    expect(roundRowSchema.safeParse({ ...row, fusion: { ...row.fusion, standardError: 'x' } }).success).to.equal(false);
  });
});
