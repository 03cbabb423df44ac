// The PostgreSQL wire protocol, as far as the bench's counting proxy (pg-proxy.ts) needs it:
// message boundaries and types, never contents.
//
// Wire format (PostgreSQL protocol 3): the client's first message (StartupMessage, SSLRequest,
// GSSENCRequest, CancelRequest) has no type byte: int32 length (itself included) + int32 code.
// An SSLRequest/GSSENCRequest is answered by one untyped byte ('S'/'G' = encryption follows,
// 'N' = no) and the client then sends its StartupMessage, again untyped. Every other message in
// both directions is 1 type byte + int32 length (itself included) + body. Messages may be split
// across TCP chunks or several may share one; the reader below only keeps the 5/8 header bytes
// and skips bodies, so nothing is copied.
//

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const QUERY_TYPES = new Set(["Q", "P", "B", "E", "S", "D", "H", "C", "F"]);

export interface Frame {
  /** Type byte, or null for an untyped start-up-style message. */
  type: string | null;
  /** For untyped messages: the request code (protocol version or SSL/GSS/Cancel code). */
  code?: number;
  /** For Authentication ('R') messages: the first int32 of the body, if in the same chunk. */
  authCode?: number;
}

/** Incremental frame reader: headers only, bodies skipped. */
export class FrameReader {
  /** Next message has no type byte (client start-up phase). */
  untyped: boolean;
  /** Next byte from the server is a bare SSL/GSS answer ('S', 'G' or 'N'). */
  expectSingleByte = false;
  #header = Buffer.alloc(8);
  #have = 0;
  #skip = 0;

  constructor(untyped: boolean) {
    this.untyped = untyped;
  }

  /** Returns the messages whose header completed in this chunk; throws on a malformed frame. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      if (this.expectSingleByte) {
        this.expectSingleByte = false;
        frames.push({ type: null, code: chunk[i]! });
        i += 1;
        continue;
      }
      const need = this.untyped ? 8 : 5;
      const n = Math.min(need - this.#have, chunk.length - i);
      chunk.copy(this.#header, this.#have, i, i + n);
      this.#have += n;
      i += n;
      if (this.#have < need) break;
      this.#have = 0;
      if (this.untyped) {
        const length = this.#header.readInt32BE(0);
        const code = this.#header.readInt32BE(4);
        if (length < 8 || length > 10_000) throw new Error(`bad start-up length ${length}`);
        this.#skip = length - 8;
        frames.push({ type: null, code });
      } else {
        const type = String.fromCharCode(this.#header[0]!);
        const length = this.#header.readInt32BE(1);
        if (length < 4) throw new Error(`bad length ${length} for message '${type}'`);
        this.#skip = length - 4;
        const frame: Frame = { type };
        if (type === "R" && length >= 8 && i + 4 <= chunk.length) frame.authCode = chunk.readInt32BE(i);
        frames.push(frame);
      }
    }
    return frames;
  }
}
