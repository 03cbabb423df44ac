// Secrets derived, not stored: HMAC-SHA256 of a message under a server secret from the
// environment, the imported key cached per isolate (imported again when the secret changes). The
// database keeps at most a SHA-256 of what was derived, so it (or a backup) holds nothing that
// works. Invitation secrets, destination verification codes and workflow webhook secrets use it.
import type { AppEnv } from "../../shared/env.ts";
import { ApiError } from "../../shared/errors.ts";

const encoder = new TextEncoder();

/** A MAC function under `read(env)`; a server without that secret answers 503 with `notConfigured`. */
export function derivedMac(read: (env: AppEnv) => string | undefined, notConfigured: string) {
  let cache: { source: string; key: CryptoKey } | undefined;
  return async (env: AppEnv, message: string): Promise<Uint8Array> => {
    const source = read(env);
    if (!source) throw new ApiError("unavailable", notConfigured);
    if (cache?.source !== source) {
      cache = { source, key: await crypto.subtle.importKey("raw", encoder.encode(source), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]) };
    }
    return new Uint8Array(await crypto.subtle.sign("HMAC", cache.key, encoder.encode(message)));
  };
}

/** Lowercase hex SHA-256 of a string. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
