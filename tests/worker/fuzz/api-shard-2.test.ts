// Shard 2 of 2 of the fuzz run (see suite.ts: one test file can open only so many connections).
import { describeFuzzShard } from "./suite.ts";

describeFuzzShard(2, 2);
