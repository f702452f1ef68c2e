import { stat } from "node:fs/promises";
import path from "node:path";

import { FileStore } from "@tus/file-store";
import { ERRORS, type Upload } from "@tus/server";

import { env } from "../../env";
import { singleton, slot } from "../../singleton";

/**
 * The FileStore, with tus's expiration measured from the last byte received rather than from
 * creation: a 5 GB upload over a slow line may take hours, but one that receives nothing for
 * LAKE_IMPORT_UPLOAD_EXPIRY_SECONDS is abandoned. tus-server computes expiry (410 on PATCH and
 * HEAD, the Upload-Expires header, deleteExpired) from `creation_date`, so that is what this store
 * reports: the data file's modification time, i.e. the last write.
 */
export class IdleExpiringFileStore extends FileStore {
  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(id);
    const file = upload.storage?.path;
    if (file) upload.creation_date = (await stat(file)).mtime.toISOString();
    return upload;
  }

  /** Unfinished uploads idle past the expiry, deleted; their ids are returned. */
  async deleteIdle(now = Date.now()): Promise<string[]> {
    // FileStore creates its directory without waiting: a sweep at a fresh install's first start
    // can come before it exists, and then there is nothing to sweep.
    const ids = await Promise.resolve(this.configstore.list?.() ?? []).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      },
    );
    const removed: string[] = [];
    for (const id of ids) {
      try {
        const upload = await this.getUpload(id);
        const idleSince = new Date(upload.creation_date ?? 0).getTime();
        if (upload.size !== upload.offset && now > idleSince + this.getExpiration()) {
          await this.remove(id);
          removed.push(id);
        }
      } catch (error) {
        if (error !== ERRORS.FILE_NO_LONGER_EXISTS && error !== ERRORS.FILE_NOT_FOUND) throw error;
      }
    }
    return removed;
  }

  override async deleteExpired(): Promise<number> {
    return (await this.deleteIdle()).length;
  }

  /** The data file of a finished upload, for the pipeline to read. */
  filePath(id: string): string {
    return path.join(this.directory, id);
  }
}

const directoryOverride = slot<string>("import-upload-directory");

/** Tests keep uploads in a directory of their own; the process uses `<LAKE_DATA_DIR>/uploads`. */
export function setUploadDirectory(directory: string | undefined): void {
  directoryOverride.set(directory);
}

export function uploadDirectory(): string {
  return directoryOverride.get() ?? path.join(env().dataDir, "uploads");
}

/** One store per directory and process, shared by the tus routes and the import workers. */
export function uploadStore(): IdleExpiringFileStore {
  const directory = uploadDirectory();
  return singleton(
    `import-upload-store:${directory}`,
    () =>
      new IdleExpiringFileStore({
        directory,
        expirationPeriodInMilliseconds: env().LAKE_IMPORT_UPLOAD_EXPIRY_SECONDS * 1000,
      }),
  );
}

/** Whether the upload's file is complete (all declared bytes received). */
export async function isUploadComplete(uploadId: string): Promise<boolean> {
  try {
    const upload = await uploadStore().getUpload(uploadId);
    return upload.size !== undefined && upload.offset === upload.size;
  } catch {
    return false;
  }
}

/** Deletes an upload's file and metadata; gone already is fine. */
export async function removeUpload(uploadId: string): Promise<void> {
  await uploadStore()
    .remove(uploadId)
    .catch(() => undefined);
}
