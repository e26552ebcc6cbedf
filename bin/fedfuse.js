#!/usr/bin/env node
// Entry point of `npx fedfuse`: loads the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
