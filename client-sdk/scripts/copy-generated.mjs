// tsc compiles only TypeScript: the generated protobuf module (plain JS + its .d.ts) is copied next to its importers.
import { cpSync } from 'node:fs';

cpSync('src/proto/generated', 'dist/proto/generated', { recursive: true, filter: (p) => !p.endsWith('.proto') });
