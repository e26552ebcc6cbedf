// Memory of another process as the kernel counts it (Linux /proc): its resident set now and its peak since it started.
import { readFile } from 'node:fs/promises';

const KIB = 1024;

export interface ProcessMemory {
  /** VmRSS: resident bytes now. */
  rss: number;
  /** VmHWM: the peak resident bytes since the process started. */
  peakRss: number;
}

export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${name} line`);
    return Number(m[1]) * KIB;
  };
  return { rss: field('VmRSS'), peakRss: field('VmHWM') };
}
