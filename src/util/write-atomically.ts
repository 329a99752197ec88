import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";

/** The name of a temporary file for `file`: `.name.<pid>.<12 hex digits>.tmp`, beside it. */
export const TEMP_FILE = /^\.[^/\\]+\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes `data` to a unique temporary file beside `file` (creating the folder when missing), then renames it over
 * `file`: a reader sees the old file or the new one, never half of one, and concurrent writers of one file are
 * safe (the last rename wins). The temporary file is removed when anything fails.
 */
export async function writeAtomically(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: { readonly fsync?: boolean } = {},
): Promise<void> {
  const folder = path.dirname(file);
  for (let attempt = 1; ; attempt++) {
    const temp = path.join(
      folder,
      `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
    );
    try {
      await writeTemp(temp, data, options.fsync === true);
      await fs.rename(temp, file);
      return;
    } catch (error) {
      await fs.unlink(temp).catch(() => {});
      // The folder does not exist yet, or was removed meanwhile: create it and write again.
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && attempt < 3) {
        await fs.mkdir(folder, { recursive: true });
        continue;
      }
      throw error;
    }
  }
}

async function writeTemp(temp: string, data: string | Uint8Array | readonly Uint8Array[], fsync: boolean) {
  const handle = await fs.open(temp, "wx");
  try {
    await fs.writeFile(handle, typeof data === "string" || data instanceof Uint8Array ? data : [...data]);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}
