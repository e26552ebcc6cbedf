// The short fault campaign (issue 23, item 2): the bench's campaign (bench/faults/) at a size CI affords — 3 node
// processes, Redis primary + replica + 3 sentinels, 4 client processes, 3 rounds of FedAvg on a small MLP, 2 faults
// per round, so every kind of fault strikes once: a node SIGKILLed and one SIGSTOPped (leader or not), the Redis
// primary SIGKILLed, a client killed mid-upload, one moved to another node, a slow one. Every invariant is checked
// after every round and at the end; the long campaign (many seeds, 30+ rounds) is `npm run bench:faults`.
import { expect } from 'chai';
import { DEFAULT_CAMPAIGN, runCampaign } from '../../bench/faults/campaign.js';
import { FAULT_KINDS } from '../../bench/faults/schedule.js';
import { requireRedisSentinel } from './sentinel-group.js';

describe('cluster: a seeded fault campaign (short)', function () {
  this.timeout(480_000);

  before(function () {
    requireRedisSentinel(this);
  });

  it('survives one fault of every kind with no invariant violated and the fault-free run\'s accuracy', async () => {
    const lines: string[] = [];
    const result = await runCampaign({
      ...DEFAULT_CAMPAIGN,
      seed: 1,
      rounds: 3,
      clients: 4,
      perClient: 200,
      faultsPerRound: 2,
      timeoutMs: 420_000,
      log: (line) => lines.push(line),
    });
    try {
      expect(result.failure).to.equal(undefined);
      expect(result.roundsCompleted).to.equal(3);
      expect(result.violations).to.deep.equal([]);
      expect(result.ackedLost).to.equal(0);
      const struck = new Set(result.faults.filter((f) => !f.skipped).map((f) => f.kind));
      expect([...struck].sort()).to.deep.equal([...FAULT_KINDS].sort());
      expect(Math.abs(result.finalAccuracy! - result.referenceAccuracy!)).to.be.at.most(0.01);
    } catch (e) {
      console.log(lines.join('\n'));
      throw e;
    }
  });
});
