import { loadScenario, parseScenario } from './scenarios/load-scenario.js';
import { prepareSplit } from './scenarios/prepare-split.js';
const files = ['scenarios/examples/mnist-dirichlet-0.1.yaml','scenarios/examples/fashion-mnist-cnn-dirichlet.yaml','scenarios/examples/mnist-shards-2.yaml', 'scenarios/default.yaml', ...['fashion-cnn-4','fashion-odir-4','mnist-odir-2','mnist-odir-4','mnist-odir-8'].map(f=>`bench/matrix/${f}.yaml`)];
for (const f of files) for (const seed of [1,2,3]) {
  const s = parseScenario({ ...(await loadScenario(f)), seed }, f);
  const split = await prepareSplit(s);
  const n = split.clients.map(c => c.n);
  const sorted = [...n].sort((a,b)=>a-b);
  const lowerMedian = sorted[Math.floor((sorted.length-1)/2)];
  console.log(f, 'seed', seed, n.join('/'), 'max/lowerMedian', (Math.max(...n)/lowerMedian).toFixed(2));
}
