// .npy files on disk (the codec itself is the SDK's io/npy.ts, shared with apps and browsers).
import { readFile, writeFile } from 'node:fs/promises';
import { parseNpy, serializeNpy, type NpyArray, type NpyData } from '@fedfuse/client/internal/io/npy.js';

/** Reads and decodes an .npy file; errors name the file. */
export async function readNpy(path: string): Promise<NpyArray> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(err.code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${err.message})`);
  }
  return parseNpy(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}

/** Writes a C-order array as an .npy file. */
export async function writeNpy(path: string, array: NpyData, shape: readonly number[]): Promise<void> {
  await writeFile(path, serializeNpy(array, shape));
}
