import { expect } from 'chai';
import { loadMnist } from '../../scenarios/data/mnist.js';
import { labelHistogram, partition, type PartitionSpec } from '../../scenarios/partitioners/index.js';
import { dirichletPartition, countsFromProportions } from '../../scenarios/partitioners/dirichlet.js';
import { shardsPartition } from '../../scenarios/partitioners/shards.js';
import {
  linspace,
  orderedDirichletCounts,
  orderedDirichletPartition,
  orderedDirichletSplit,
  type PartitionRandomSource,
} from '../../scenarios/partitioners/ordered-dirichlet.js';
import { Random } from '../../scenarios/random.js';

const SPECS: PartitionSpec[] = [
  { kind: 'iid' },
  { kind: 'dirichlet', alpha: 0.5, minPerClient: 10 },
  { kind: 'shards', classesPerClient: 2 },
  { kind: 'ordered-dirichlet', minAlpha: 1, maxAlpha: 5 },
];

/** Mean total-variation distance between each client's label distribution and the global one (0 = IID). */
function labelSkew(labels: Int32Array, parts: number[][]): number {
  const global = labelHistogram(labels, Array.from(labels.keys()), 10).map((c) => c / labels.length);
  const distances = parts.map((rows) => {
    const h = labelHistogram(labels, rows, 10);
    return 0.5 * h.reduce((s, c, k) => s + Math.abs(c / rows.length - global[k]), 0);
  });
  return distances.reduce((a, b) => a + b, 0) / parts.length;
}

function expectExactCover(parts: number[][], n: number): void {
  const seen = new Uint8Array(n);
  for (const rows of parts) {
    for (const r of rows) {
      expect(Number.isInteger(r) && r >= 0 && r < n, `index ${r} in range`).to.equal(true);
      seen[r]++;
    }
  }
  const wrong = seen.findIndex((c) => c !== 1);
  expect(wrong, `index ${wrong} assigned ${seen[wrong]} times`).to.equal(-1);
}

describe('scenarios/partitioners', () => {
  let labels: Int32Array;
  before(async () => {
    labels = (await loadMnist({ split: 'train', limit: 20000 })).y;
  });

  for (const spec of SPECS) {
    it(`${spec.kind}: assigns every MNIST example to exactly one client, reproducibly per seed`, () => {
      const a = partition(spec, labels, 5, 11);
      expect(a).to.have.length(5);
      expectExactCover(a, labels.length);
      expect(a.every((rows) => rows.length > 0)).to.equal(true);
      expect(partition(spec, labels, 5, 11)).to.deep.equal(a);
      expect(partition(spec, labels, 5, 12)).to.not.deep.equal(a);
    });
  }

  it('labelHistogram counts labels of the chosen indices and rejects out-of-range labels', () => {
    expect(labelHistogram(Int32Array.from([0, 2, 2, 1]), [1, 2, 3], 3)).to.deep.equal([0, 1, 2]);
    expect(() => labelHistogram(Int32Array.from([0, 5]), [1], 3)).to.throw(/label 5, outside 0..2/);
  });

  it('iid: near-equal client sizes and almost no label skew', () => {
    const parts = partition({ kind: 'iid' }, labels, 4, 1);
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
    expect(labelSkew(labels, parts)).to.be.below(0.03);
  });

  it('dirichlet: small alpha is far more label-skewed than iid or large alpha (measured by total variation)', () => {
    const iid = labelSkew(labels, partition({ kind: 'iid' }, labels, 10, 5));
    const skewed = labelSkew(labels, dirichletPartition(labels, 10, { alpha: 0.1, minPerClient: 10 }, 5));
    const mild = labelSkew(labels, dirichletPartition(labels, 10, { alpha: 100, minPerClient: 10 }, 5));
    // Dir(0.1) over 10 clients: each client is dominated by a few classes (TV around 0.6-0.7).
    expect(skewed).to.be.above(0.45);
    expect(mild).to.be.below(0.1);
    expect(skewed).to.be.above(5 * iid);
  });

  it('dirichlet: every client gets at least minPerClient, and impossible demands fail clearly', () => {
    const parts = dirichletPartition(labels, 10, { alpha: 0.1, minPerClient: 300 }, 2);
    expect(Math.min(...parts.map((p) => p.length))).to.be.at.least(300);
    expect(() => dirichletPartition(labels.subarray(0, 100), 10, { alpha: 1, minPerClient: 20 }, 1)).to.throw(
      /minPerClient 20 × 10 clients exceeds the 100 examples/,
    );
    expect(() => dirichletPartition(labels, 10, { alpha: 0.01, minPerClient: 1500, maxAttempts: 3 }, 1)).to.throw(
      /after 3 draws with alpha 0.01 some client still had fewer than 1500 examples/,
    );
    expect(countsFromProportions([0.5, 0.25, 0.25], 7)).to.deep.equal([3, 2, 2]);
  });

  it('shards: each client holds at most classesPerClient classes, shards of similar size', () => {
    for (const k of [1, 2, 3]) {
      const parts = shardsPartition(labels, 10, { classesPerClient: k }, 4);
      expectExactCover(parts, labels.length);
      for (const rows of parts) {
        const classes = labelHistogram(labels, rows, 10).filter((c) => c > 0).length;
        expect(classes).to.be.within(1, k);
      }
    }
    // with 1 class per client and 10 clients, every client holds a whole, different class
    const single = shardsPartition(labels, 10, { classesPerClient: 1 }, 4);
    const owned = single.map((rows) => labels[rows[0]]).sort();
    expect(owned).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => shardsPartition(labels, 3, { classesPerClient: 2 }, 1)).to.throw(/6 shards cannot cover the 10 classes/);
  });

  describe('ordered-dirichlet (the neuron-interpolation paper split)', () => {
    it('follows the reference procedure: per class, shuffle, re-shuffle alphas in place, Dir(alphas), floor counts, remainder to the last client', () => {
      // Small synthetic label set: class 0 has 7 examples, class 1 has 5, class 2 is absent, class 3 has 4.
      const toy = Int32Array.from([0, 1, 0, 3, 0, 1, 0, 3, 0, 1, 0, 3, 0, 1, 3, 1]);
      const calls: string[] = [];
      const alphaArrays: number[][] = [];
      const proportions = [
        [0.5, 0.3, 0.2],
        [0.1, 0.1, 0.8],
        [0.34, 0.33, 0.33],
      ];
      let dirichletCalls = 0;
      let alphasObject: unknown;
      const recorder: PartitionRandomSource = {
        shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A {
          if (calls.length % 2 === 1) {
            // second shuffle of each class: the alphas. Rotate by one, in place, and check it is the same array every time.
            if (alphasObject === undefined) alphasObject = items;
            expect(items).to.equal(alphasObject);
            const first = items[0];
            for (let i = 0; i < items.length - 1; i++) items[i] = items[i + 1];
            items[items.length - 1] = first;
            calls.push('alphas');
            return items;
          }
          // first shuffle of each class: the class's indices. Reverse them.
          const copy = Array.from({ length: items.length }, (_, i) => items[i]);
          copy.reverse().forEach((v, i) => (items[i] = v));
          calls.push('indices');
          return items;
        },
        dirichlet(alphas) {
          alphaArrays.push([...alphas]);
          return proportions[dirichletCalls++];
        },
      };
      const parts = orderedDirichletSplit(toy, 3, { minAlpha: 1, maxAlpha: 5 }, recorder);
      expect(calls).to.deep.equal(['indices', 'alphas', 'indices', 'alphas', 'indices', 'alphas']);
      // linspace(1, 5, 3) = [1, 3, 5], rotated once per class and carried over between classes
      expect(alphaArrays).to.deep.equal([
        [3, 5, 1],
        [5, 1, 3],
        [1, 3, 5],
      ]);
      // class 0 indices [0,2,4,6,8,10,12] reversed → [12,10,8,6,4,2,0]; counts floor(.5*7)=3, floor(.3*7)=2, rest 2
      // class 1 indices [1,5,9,13,15] reversed → [15,13,9,5,1]; counts 0, 0, 5
      // class 3 indices [3,7,11,14] reversed → [14,11,7,3]; counts floor(1.36)=1, floor(1.32)=1, rest 2
      expect(parts).to.deep.equal([
        [12, 10, 8, 14],
        [6, 4, 11],
        [2, 0, 15, 13, 9, 5, 1, 7, 3],
      ]);
    });

    it('uses linspace(minAlpha, maxAlpha, n) and gives the remainder to the last client', () => {
      expect(linspace(1, 5, 5)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(linspace(1, 5, 1)).to.deep.equal([1]);
      expect(orderedDirichletCounts([0.26, 0.26, 0.48], 10)).to.deep.equal([2, 2, 6]);
    });

    it('with real randomness, a client whose alpha is 5 gets on average 5/6 of a class against alpha 1', () => {
      // 300 classes of 1000 examples: the share each client gets should follow alpha_i / sum(alpha).
      const many = new Int32Array(300 * 1000);
      for (let i = 0; i < many.length; i++) many[i] = Math.floor(i / 1000);
      const random = new Random(9);
      const seenAlphas: number[][] = [];
      const recording: PartitionRandomSource = {
        shuffle: (items) => random.shuffle(items),
        dirichlet: (alphas) => {
          seenAlphas.push([...alphas]);
          return random.dirichlet(alphas);
        },
      };
      const parts = orderedDirichletSplit(many, 2, {}, recording);
      let shareOfBig = 0;
      const clientOfIndex = new Int32Array(many.length);
      parts.forEach((rows, c) => rows.forEach((r) => (clientOfIndex[r] = c)));
      seenAlphas.forEach((alphas, cls) => {
        const big = alphas.indexOf(5);
        let count = 0;
        for (let i = cls * 1000; i < (cls + 1) * 1000; i++) if (clientOfIndex[i] === big) count++;
        shareOfBig += count / 1000;
      });
      expect(shareOfBig / seenAlphas.length).to.be.closeTo(5 / 6, 0.03);
      // and the alphas were shuffled: alpha 5 went to each client for a fair fraction of the classes
      const bigFirst = seenAlphas.filter((a) => a[0] === 5).length / seenAlphas.length;
      expect(bigFirst).to.be.within(0.35, 0.65);
    });

    it('is moderately skewed: between iid and Dir(0.1)', () => {
      const ordered = labelSkew(labels, orderedDirichletPartition(labels, 4, {}, 3));
      const iid = labelSkew(labels, partition({ kind: 'iid' }, labels, 4, 3));
      const strong = labelSkew(labels, dirichletPartition(labels, 4, { alpha: 0.1 }, 3));
      expect(ordered).to.be.above(3 * iid);
      expect(ordered).to.be.below(strong);
    });
  });

  it('rejects bad client counts with clear errors', () => {
    expect(() => partition({ kind: 'iid' }, labels, 0, 1)).to.throw(/numClients must be a positive integer/);
    expect(() => partition({ kind: 'iid' }, labels.subarray(0, 3), 4, 1)).to.throw(/3 examples cannot give each of 4 clients/);
  });
});
