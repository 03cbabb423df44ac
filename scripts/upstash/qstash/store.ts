// Optional persistence of the QStash stand-in's state (pending messages, schedules, dedupe ids,
// DLQ) to one JSON file, so `npm run dev` restarts keep queued reminders and schedules. Writes
// are coalesced, serialized, and atomic (temp file + rename) so a crash never leaves half a file.
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { QStashState } from "./types.ts";

export function emptyState(): QStashState {
  return { messages: [], schedules: [], dedupe: {}, dlq: [] };
}

export async function loadState(file: string | undefined): Promise<QStashState> {
  if (!file || !existsSync(file)) return emptyState();
  const text = await readFile(file, "utf8");
  let parsed: Partial<QStashState>;
  try {
    parsed = JSON.parse(text) as Partial<QStashState>;
  } catch (error) {
    throw new Error(`QStash state file ${file} is not valid JSON (${(error as Error).message}); move it away to start empty`, { cause: error });
  }
  return { ...emptyState(), ...parsed };
}

export class StateWriter {
  private readonly file: string | undefined;
  private readonly snapshot: () => QStashState;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(file: string | undefined, snapshot: () => QStashState) {
    this.file = file;
    this.snapshot = snapshot;
  }

  /** Schedules a write shortly (many mutations in one tick become one write). */
  markDirty(): void {
    if (!this.file) return;
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 25);
  }

  /** Writes now if anything changed; resolves when the file is on disk. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const file = this.file;
    if (!file) return Promise.resolve();
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const tmp = `${file}.${process.pid}.tmp`;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, JSON.stringify(this.snapshot(), null, 2));
      await rename(tmp, file);
    }).catch((error: Error) => {
      console.error(`[qstash stand-in] could not write ${file}: ${error.message}`);
    });
    return this.writing;
  }
}
