// Shard 2 of the isolation attack (tests/worker/attack/isolation.ts): its own file, so its own isolate.
import { isolationShard } from "./isolation.ts";

isolationShard(1, 2);
