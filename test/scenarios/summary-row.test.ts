import { expect } from 'chai';
import { summaryToRow } from '../../scenarios/runner.js';
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
});
