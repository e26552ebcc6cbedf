// Durable file writes shared by the checkpoint store and the update journal: data is fsynced before it is renamed
// into place, and the directory is fsynced after the rename, so a crash or power loss leaves either the old file or
// the new one, never a torn one. The byte-writing step is injectable so tests can make it fail like a full disk.
import { open } from 'node:fs/promises';

/** Writes `data` to a new file at `path` and fsyncs it (the file is not visible under its final name yet). */
export type SyncedFileWriter = (path: string, data: Uint8Array | string) => Promise<void>;

export const writeFileSynced: SyncedFileWriter = async (path, data) => {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
};

/** fsync a directory so that renames inside it survive a power loss. */
export async function syncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A failed durable write, naming what was being written, where, and the OS error code (ENOSPC, EACCES, ...). */
export class DurableWriteError extends Error {
  readonly code: string;
  readonly errno: number | undefined;
  constructor(
    readonly what: string,
    readonly path: string,
    cause: unknown,
  ) {
    const err = cause as NodeJS.ErrnoException;
    const code = typeof err?.code === 'string' ? err.code : 'EUNKNOWN';
    super(`writing ${what} to ${path} failed: ${code}: ${err?.message ?? String(cause)}`, { cause });
    this.name = 'DurableWriteError';
    this.code = code;
    this.errno = typeof err?.errno === 'number' ? err.errno : undefined;
  }
}
