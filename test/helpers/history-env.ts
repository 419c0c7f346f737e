import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Unit-test setup (vitest.config.ts, project "unit"): history is on by default for scan and
 * evaluate, so every test file gets its own state directory under the system temp dir. Nothing a
 * test runs may write into the real ~/.local/state. Set before any test spawns the CLI, which
 * inherits process.env.
 */
const state = mkdtempSync(join(tmpdir(), "hipaa-scan-test-state-"));
process.env.XDG_STATE_HOME = state;
delete process.env.HIPAA_SCAN_HISTORY;
