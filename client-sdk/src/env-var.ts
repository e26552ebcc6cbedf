// Environment variables where there is a process (Node); none in browsers. The SDK's few switches (FEDFUSE_BACKEND,
// FEDFUSE_FUSED_DENSE) read them here.

/** The variable's value in Node, undefined in browsers or when unset. */
export function envVar(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}
