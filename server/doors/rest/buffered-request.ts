/**
 * A Request whose body the custom server has already read whole (node-route-adapter.ts). Building
 * a Web body stream for it, then reading that stream back, was the largest single CPU cost of a
 * data-API POST after the database (bench:rest, docs/decisions/0008); readJsonBody takes the bytes
 * from here instead. Everything else that reads the body (`body`, `text()`, `json()`, `clone()`…)
 * gets an ordinary Request with that body, made the first time one of them is used.
 */
export class BufferedBodyRequest extends Request {
  readonly #bytes: Buffer;
  #withBody: Request | undefined;

  constructor(url: string, init: { method: string; headers: Headers }, bytes: Buffer) {
    super(url, init);
    this.#bytes = bytes;
  }

  /** The body, unless something has read it as a stream already. */
  get bufferedBody(): Buffer | undefined {
    return this.#withBody?.bodyUsed ? undefined : this.#bytes;
  }

  #full(): Request {
    this.#withBody ??= new Request(this.url, {
      method: this.method,
      headers: this.headers,
      body: this.#bytes as Uint8Array<ArrayBuffer>,
    });
    return this.#withBody;
  }

  override get body() {
    return this.#full().body;
  }
  override get bodyUsed() {
    return this.#full().bodyUsed;
  }
  override arrayBuffer() {
    return this.#full().arrayBuffer();
  }
  override blob() {
    return this.#full().blob();
  }
  override bytes() {
    return this.#full().bytes();
  }
  override formData() {
    return this.#full().formData();
  }
  override json() {
    return this.#full().json();
  }
  override text() {
    return this.#full().text();
  }
  override clone() {
    return this.#full().clone();
  }
}

/** The bytes of a body the custom server read whole, when `request` carries one still unread. */
export function bufferedBodyOf(request: Request): Buffer | undefined {
  return request instanceof BufferedBodyRequest ? request.bufferedBody : undefined;
}
