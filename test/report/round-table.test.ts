// The per-round table `fedfuse run` prints and the rounds.csv it writes: a fusing strategy's rounds say which path
// they took (fused model or plain-average fallback) and the held-out probe losses behind it.
import { expect } from 'chai';
import { renderRoundTable, roundRowsToCsv } from '../../scenarios/report/round-table.js';
import { rows } from './fixtures.js';

describe('report: round table and rounds.csv', () => {
  it('has no fusion column for a strategy that does not fuse', () => {
    const table = renderRoundTable(rows([0.5, 0.75]));
    expect(table.split('\n')[0]).to.not.match(/fusion/);
    expect(table.split('\n')).to.have.length(4);
    const csv = roundRowsToCsv(rows([0.5])).trim().split('\n');
    expect(csv[1].split(',').slice(-8)).to.deep.equal(['', '', '', '', '', '', '', '']);
  });

  it('shows the path and the held-out losses of every fused round', () => {
    const list = rows([0.5, 0.75]);
    list[0].fusion = { path: 'fused', fusedProbeLoss: 0.12345, averageProbeLoss: 0.2, standardError: 0.01 };
    list[1].fusion = { path: 'fallback', fusedProbeLoss: 0.5, averageProbeLoss: 0.25 };
    const lines = renderRoundTable(list).split('\n');
    expect(lines[0]).to.match(/fusion \(probe loss fused \/ avg\)$/);
    expect(lines[2]).to.match(/fused \(0\.123 \/ 0\.200\)$/);
    expect(lines[3]).to.match(/fallback \(0\.500 \/ 0\.250\)$/);
    const csv = roundRowsToCsv(list).trim().split('\n');
    expect(csv[0].split(',').slice(-8, -4)).to.deep.equal(['fusion_path', 'fused_probe_loss', 'average_probe_loss', 'fusion_standard_error']);
    expect(csv[1].split(',').slice(-8, -4)).to.deep.equal(['fused', '0.12345', '0.2', '0.01']);
    expect(csv[2].split(',').slice(-8, -4)).to.deep.equal(['fallback', '0.5', '0.25', '']);
  });

  it('issue 19: says what each round published and both held-out losses; a refused candidate shows the previous model kept', () => {
    const list = rows([0.5, 0.5, 0.75]);
    list[0].guard = { published: 'candidate', candidateLoss: 0.3, previousLoss: 2.3 };
    list[0].updateStats = { medianDistance: 1.5, largestDistanceRatio: 1.25, largestAbsWeight: 0.4 };
    list[1].guard = { published: 'previous', candidateLoss: null, previousLoss: 0.3 };
    list[2].guard = { published: 'robust', candidateLoss: 7.6e27, previousLoss: 0.3, robustLoss: 0.25 };
    const lines = renderRoundTable(list).split('\n');
    expect(lines[0]).to.match(/published \(probe loss new \/ prev\)$/);
    expect(lines[2]).to.match(/candidate \(0\.300 \/ 2\.300\)$/);
    expect(lines[3]).to.match(/previous \(not finite \/ 0\.300\)$/);
    expect(lines[4]).to.match(/robust \(7\.60e\+27 \/ 0\.300\)$/);
    const csv = roundRowsToCsv(list).trim().split('\n');
    expect(csv[0].split(',').slice(-4)).to.deep.equal(['published', 'candidate_probe_loss', 'previous_probe_loss', 'largest_distance_ratio']);
    expect(csv[1].split(',').slice(-4)).to.deep.equal(['candidate', '0.3', '2.3', '1.25']);
    expect(csv[2].split(',').slice(-4)).to.deep.equal(['previous', 'inf', '0.3', '']);
    expect(csv[3].split(',').slice(-4)).to.deep.equal(['robust', '7.6e+27', '0.3', '']);
  });
});
