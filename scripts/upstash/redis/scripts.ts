// Upstash accepts Lua shebang flags that stock Redis rejects (@upstash/ratelimit sends
// `#!lua flags=allow-key-locking`; Redis 7 answers "Unexpected flag in script shebang"). The
// bridge drops unknown flags before forwarding, and maps the SHA1 the client computed over the
// original text to the SHA1 Redis knows, so EVALSHA/SCRIPT LOAD/SCRIPT EXISTS keep working.
import { createHash } from "node:crypto";
import type { Reply } from "./client.ts";

const REDIS_FLAGS = new Set(["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]);

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** The script with unknown shebang flags removed (unchanged when there is nothing to drop). */
export function stripUnsupportedFlags(script: string): string {
  const match = /^#!lua([^\n]*)/.exec(script);
  if (!match) return script;
  const options = match[1]!.trim().split(/\s+/).filter(Boolean);
  let changed = false;
  const kept = options.map((option) => {
    if (!option.startsWith("flags=")) return option;
    const flags = option.slice("flags=".length).split(",").filter(Boolean);
    const supported = flags.filter((f) => REDIS_FLAGS.has(f));
    if (supported.length !== flags.length) changed = true;
    return `flags=${supported.join(",")}`;
  });
  if (!changed) return script;
  return `#!lua${kept.length ? ` ${kept.join(" ")}` : ""}${script.slice(match[0].length)}`;
}

export class ScriptShaMap {
  // client-side sha (of the text the client sent) → sha of the text Redis stored
  private readonly shas = new Map<string, string>();

  /** Rewrites one command for Redis; returns it unchanged when no script is involved. */
  rewrite(command: string[]): string[] {
    const name = command[0]?.toLowerCase();
    if ((name === "eval" || name === "eval_ro") && command[1] !== undefined) {
      return [command[0]!, this.register(command[1]), ...command.slice(2)];
    }
    if ((name === "evalsha" || name === "evalsha_ro") && command[1] !== undefined) {
      return [command[0]!, this.serverSha(command[1]), ...command.slice(2)];
    }
    if (name === "script") {
      const sub = command[1]?.toLowerCase();
      if (sub === "load" && command[2] !== undefined) return [command[0]!, command[1]!, this.register(command[2])];
      if (sub === "exists") return [command[0]!, command[1]!, ...command.slice(2).map((s) => this.serverSha(s))];
    }
    return command;
  }

  /** SCRIPT LOAD must answer the sha the client would compute, not the rewritten one. */
  fixReply(original: string[], reply: Reply): Reply {
    const isLoad = original[0]?.toLowerCase() === "script" && original[1]?.toLowerCase() === "load";
    if (isLoad && original[2] !== undefined && Buffer.isBuffer(reply)) return Buffer.from(sha1(original[2]));
    return reply;
  }

  private register(script: string): string {
    const stripped = stripUnsupportedFlags(script);
    if (stripped !== script) this.shas.set(sha1(script).toLowerCase(), sha1(stripped));
    return stripped;
  }

  private serverSha(sha: string): string {
    return this.shas.get(sha.toLowerCase()) ?? sha;
  }
}
