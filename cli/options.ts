// Parsers for command-line option values, shared by every command: each names the option and the bad value.
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
    return n;
  };
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0)) throw new Error(`--${name} must be a positive number, got "${value}"`);
    return n;
  };
}

export function portNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number 0..65535, got "${value}"`);
    return n;
  };
}

export function choice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    const hit = choices.find((c) => c === value);
    if (!hit) throw new Error(`--${name} must be one of ${choices.join(', ')}, got "${value}"`);
    return hit;
  };
}

export function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * A comma-separated list of strategy specs, where a comma inside [..], {..} or quotes belongs to a JSON value
 * (e.g. `ni=neuron-interpolation:fitShifts.imageShape=[28,28,1],fedavg` is two strategies).
 */
export function strategyList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw new Error(`--strategies: unbalanced "${c}" at character ${i + 1} of "${value}"`);
  }
  if (depth !== 0 || quoted) throw new Error(`--strategies: unclosed ${quoted ? 'quote' : 'bracket'} in "${value}"`);
  items.push(value.slice(start));
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Help of --round-references (run and experiment). */
export const ROUND_REFERENCES_HELP =
  "also evaluate every round's client models, their plain average and their prediction ensemble on the test set " +
  '(results.json roundReferences: the ceiling each round\'s aggregate chases)';
