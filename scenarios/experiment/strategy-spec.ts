// A strategy as an experiment names it on the command line: `name`, or `[label=]name:key=value:key=value...`, so
// variants of one strategy (neuron interpolation with HF, KF-linear or KF-gradient) are separate matrix columns:
//   ni-hf=neuron-interpolation:method=hf   fedprox:mu=0.1   neuron-interpolation:fusion.gradient.epochs=50
// Values are read as JSON where they parse (numbers, booleans, quoted strings), as plain strings otherwise; dotted
// keys build nested options. The strategy itself validates the options when the experiment starts.
// One key is not a strategy option but a change of the scenario: `width=<rate>|smallest` runs the scenario without
// device tiers, every client training the model at that width rate (`smallest`: the smallest tier's), as the tiers'
// FedAvg references do:   fedavg-small=fedavg:width=smallest   fedavg-full=fedavg:width=1
import { scenarioStrategyNames } from '../scenario-schema.js';

export interface StrategySpec {
  /** What reports and cell ids call it (default: the text as given). */
  label: string;
  /** A strategy registry name. */
  name: string;
  /** Undefined when none were given: the scenario file's own options then apply if it names the same strategy. */
  options?: Record<string, unknown>;
  /** `width=`: the scenario runs without tiers, every client at this width rate ('smallest': its smallest tier's). */
  width?: number | 'smallest';
}

function parseWidth(text: string, whole: string): number | 'smallest' {
  if (text === 'smallest') return text;
  const v = Number(text);
  if (!(v > 0 && v <= 1)) throw new Error(`strategy "${whole}": width must be a rate in (0, 1] or "smallest", got "${text}"`);
  return v;
}

const LABEL = /^[A-Za-z0-9._-]+$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, whole: string): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null) throw new Error(`strategy "${whole}": option ${path.join('.')} conflicts with ${key}`);
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (Object.hasOwn(node, last)) throw new Error(`strategy "${whole}": option ${path.join('.')} given twice`);
  node[last] = value;
}

export function parseStrategySpec(text: string): StrategySpec {
  const whole = text.trim();
  if (whole.length === 0) throw new Error('empty strategy name');
  const [head, ...pairs] = whole.split(':');
  const eq = head.indexOf('=');
  const label = eq >= 0 ? head.slice(0, eq) : whole;
  const name = eq >= 0 ? head.slice(eq + 1) : head;
  if (eq >= 0 && !LABEL.test(label)) {
    throw new Error(`strategy "${whole}": label "${label}" may only use letters, digits, '.', '_' and '-'`);
  }
  const known: readonly string[] = scenarioStrategyNames;
  if (!known.includes(name)) {
    const where = name === whole ? '' : ` in "${whole}"`;
    throw new Error(`unknown strategy "${name}"${where} (known: ${known.join(', ')})`);
  }
  if (pairs.length === 0) return { label, name };
  const options: Record<string, unknown> = {};
  let width: number | 'smallest' | undefined;
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`strategy "${whole}": expected key=value, got "${pair}"`);
    if (pair.slice(0, at) === 'width') {
      if (width !== undefined) throw new Error(`strategy "${whole}": width given twice`);
      width = parseWidth(pair.slice(at + 1), whole);
      continue;
    }
    const path = pair.slice(0, at).split('.');
    if (path.some((k) => k.length === 0)) throw new Error(`strategy "${whole}": empty key in "${pair}"`);
    // Keys come from the command line: never let one reach Object.prototype.
    const bad = path.find((k) => FORBIDDEN_KEYS.has(k));
    if (bad) throw new Error(`strategy "${whole}": "${bad}" is not an option name`);
    setPath(options, path, parseValue(pair.slice(at + 1)), whole);
  }
  return { label, name, ...(Object.keys(options).length > 0 ? { options } : {}), ...(width !== undefined ? { width } : {}) };
}
