// tsc compiles only TypeScript: the scenario files the CLI reads by default (scenarios/default.yaml, the examples)
// are copied next to the compiled scenario code.
import { cpSync } from 'node:fs';

cpSync('scenarios', 'dist/scenarios', { recursive: true, filter: (p) => !p.endsWith('.ts') });
