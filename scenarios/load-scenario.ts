// Reads scenario files (YAML or JSON) and validates them; errors name the file and the field path.
import { readFile } from 'node:fs/promises';
import { extname, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

/** The scenario `fedfuse run` uses when none is given. */
export const DEFAULT_SCENARIO_PATH = join(dirname(fileURLToPath(import.meta.url)), 'default.yaml');

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${field}: ${message}`;
}

/** Validates an already-parsed object; `source` (a file name) prefixes every error line. */
export function parseScenario(obj: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(obj);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${source}: ${describeIssue(issue)}`);
  throw new Error(lines.join('\n'));
}

/** Loads a .yaml/.yml/.json scenario file. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read scenario file (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`${path}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return parseScenario(raw, path);
}
