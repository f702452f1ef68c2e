import * as tus from "tus-js-client";

/** Uploads `data` with tus-js-client, as a Node client would; resolves with the upload URL. */
export function tusUpload(options: {
  endpoint: string;
  key: string;
  data: Buffer;
  metadata: Record<string, string>;
  chunkSize?: number;
  /** Called on progress; return true to abort the upload there (a client that disappears). */
  abortWhen?: (sent: number, total: number) => boolean;
  uploadUrl?: string;
}): Promise<{ url: string; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    let aborted = false;
    const upload: tus.Upload = new tus.Upload(options.data, {
      endpoint: options.endpoint,
      uploadUrl: options.uploadUrl,
      headers: { "x-api-key": options.key },
      metadata: options.metadata,
      chunkSize: options.chunkSize ?? Infinity,
      retryDelays: [],
      onProgress(sent, total) {
        if (!aborted && options.abortWhen?.(sent, total)) {
          aborted = true;
          void upload.abort(false).then(() => resolve({ url: upload.url ?? "", aborted }));
        }
      },
      onError: (error) => (aborted ? undefined : reject(error)),
      onSuccess: () => resolve({ url: upload.url ?? "", aborted: false }),
    });
    upload.start();
  });
}
