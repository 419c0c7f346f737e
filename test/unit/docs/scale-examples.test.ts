import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { parseShard } from "../../../src/shard.js";
import { cli } from "../../helpers/cli.js";

/**
 * The scheduler examples in docs/examples/ (docs/scale.md). No installed npm package ships the
 * Kubernetes, GitHub Actions or GitLab CI JSON Schemas, so each file is parsed with `yaml` and the
 * fields the scanner depends on are checked structurally; then each scan command is run by
 * /bin/sh, with the scheduler's variables set as the scheduler sets them, against a stub
 * `hipaa-scan` that records its argv — so the shell arithmetic and quoting really give shards
 * 1..N of N, one group per run, a file per shard, and only options the real CLI has.
 */

const EX = new URL("../../../docs/examples/", import.meta.url).pathname;
const read = (f: string) => readFileSync(join(EX, f), "utf8");

const stubDir = mkdtempSync(join(tmpdir(), "hs-sched-"));
const stubOut = join(stubDir, "argv.txt");
writeFileSync(join(stubDir, "hipaa-scan"), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> "$STUB_OUT"\nprintf '@@end\\n' >> "$STUB_OUT"\n`);
chmodSync(join(stubDir, "hipaa-scan"), 0o755);

/** Runs a shell snippet with the stub first on PATH; returns each hipaa-scan invocation's argv. */
function invocations(script: string, env: Record<string, string>): string[][] {
  writeFileSync(stubOut, "");
  execFileSync("/bin/sh", ["-c", script], { env: { PATH: `${stubDir}:/usr/bin:/bin`, STUB_OUT: stubOut, HOME: stubDir, ...env } });
  return readFileSync(stubOut, "utf8").split("@@end\n").filter(Boolean).map((block) => block.replace(/\n$/, "").split("\n"));
}

const flag = (argv: string[], name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const helpCache = new Map<string, string>();
/** Every --option an example passes exists in the real CLI's help for that command. */
function expectKnownOptions(argv: string[]) {
  const cmd = argv[0]!;
  if (!helpCache.has(cmd)) helpCache.set(cmd, cli([cmd, "--help"]).stdout);
  for (const a of argv.filter((x) => x.startsWith("--"))) expect(helpCache.get(cmd), `${cmd} ${a}`).toContain(a);
}

/** The shards a set of invocations covers: exactly 1..N of N, one group, distinct outputs. */
function expectShards(runs: string[][], n: number) {
  const specs = runs.map((argv) => parseShard(flag(argv, "--shard")!));
  expect(specs.map((s) => s.count)).toEqual(Array(n).fill(n));
  expect(specs.map((s) => s.index).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(new Set(runs.map((argv) => flag(argv, "--group"))).size).toBe(1);
  const outs = runs.map((argv) => flag(argv, "--output") ?? flag(argv, "-o"));
  expect(new Set(outs).size).toBe(n);
  runs.forEach(expectKnownOptions);
}

describe("docs/examples/k8s-indexed-job.yaml", () => {
  const [scanJob, mergeJob] = parseAllDocuments(read("k8s-indexed-job.yaml")).map((d) => d.toJS());
  type EnvVar = { name: string; value?: string; valueFrom?: unknown };
  const envOf = (job: typeof scanJob) => job.spec.template.spec.containers[0].env as EnvVar[];
  const value = (job: typeof scanJob, name: string) => envOf(job).find((e) => e.name === name)?.value;

  it("is an Indexed Job whose completions, parallelism and --shard N agree, recording into the shared PostgreSQL history", () => {
    expect(scanJob).toMatchObject({ apiVersion: "batch/v1", kind: "Job", spec: { completionMode: "Indexed", template: { spec: { restartPolicy: "Never" } } } });
    const n = scanJob.spec.completions as number;
    expect(scanJob.spec.parallelism).toBe(n);
    const c = scanJob.spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: "JOB_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } } });
    const url = value(scanJob, "HIPAA_SCAN_HISTORY")!;
    expect(url).toMatch(/^postgres:\/\/[^:@/]+@[^/]+\/\w+/); // a user, no password in the URL
    expect(envOf(scanJob)).toContainEqual({ name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: expect.any(String), key: expect.any(String) } } });
    const env = (i: number) => ({ JOB_COMPLETION_INDEX: String(i), JOB_NAME: scanJob.metadata.name, HIPAA_SCAN_HISTORY: url });
    const runs = Array.from({ length: n }, (_, i) => invocations(c.args[0], env(i))).flat();
    expectShards(runs, n);
    expect(flag(runs[0]!, "--group")).toBe(scanJob.metadata.name);
    for (const argv of runs) expect(flag(argv, "--history")).toBe(url);
    // Lock files go to $XDG_STATE_HOME, which must be a mounted volume.
    const mounts = c.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    expect(mounts).toContain(value(scanJob, "XDG_STATE_HOME"));
    for (const argv of runs) expect(mounts.some((m: string) => flag(argv, "--output")!.startsWith(`${m}/`))).toBe(true);
  });

  it("has a merge Job reading the scan Job's group from the same history, and no files", () => {
    expect(mergeJob).toMatchObject({ apiVersion: "batch/v1", kind: "Job" });
    const url = value(mergeJob, "HIPAA_SCAN_HISTORY");
    expect(url).toBe(value(scanJob, "HIPAA_SCAN_HISTORY"));
    expect(envOf(mergeJob).find((e) => e.name === "PGPASSWORD")).toEqual(envOf(scanJob).find((e) => e.name === "PGPASSWORD"));
    const [argv] = invocations(mergeJob.spec.template.spec.containers[0].args[0], { HIPAA_SCAN_HISTORY: url! });
    expect(argv![0]).toBe("merge");
    expect(argv![1]!.startsWith("--")).toBe(true); // no shard files
    expect(flag(argv!, "--history")).toBe(url);
    expect(flag(argv!, "--group")).toBe(scanJob.metadata.name);
    expectKnownOptions(argv!);
    const mounts = mergeJob.spec.template.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    for (const out of argv!.filter((_, i) => argv![i - 1] === "--output")) expect(mounts.some((m: string) => out.startsWith(`${m}/`))).toBe(true);
    expect(mergeJob.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBeTruthy();
  });
});

describe("docs/examples/github-actions-matrix.yml", () => {
  const wf = parseYaml(read("github-actions-matrix.yml"));

  it("gives each matrix job one shard of N and merges them all, also when one failed", () => {
    const shards = wf.jobs.scan.strategy.matrix.shard as number[];
    expect(wf.jobs.scan.strategy["fail-fast"]).toBe(false);
    const step = wf.jobs.scan.steps.find((s: { run?: string }) => s.run?.includes("hipaa-scan"));
    const runs = shards.flatMap((k) => invocations(step.run.replaceAll("${{ matrix.shard }}", String(k)).replaceAll("${{ github.run_id }}", "4242"), {}));
    expectShards(runs, shards.length);
    expect(wf.jobs.merge).toMatchObject({ needs: "scan", if: "always()" });
    const merge = wf.jobs.merge.steps.find((s: { run?: string }) => s.run?.includes("hipaa-scan merge"));
    const [argv] = invocations(merge.run.replace("shard-*", "shard-STAR"), {});
    expect(argv!.slice(0, 2)).toEqual(["merge", "shards/shard-STAR.facts.json"]);
    expectKnownOptions(argv!);
  });
});

describe("docs/examples/gitlab-ci-parallel.yml", () => {
  const ci = parseYaml(read("gitlab-ci-parallel.yml"));

  it("maps parallel: N to CI_NODE_INDEX/CI_NODE_TOTAL and merges when all are done", () => {
    const n = ci.scan.parallel as number;
    const runs = Array.from({ length: n }, (_, i) =>
      invocations(ci.scan.script.join("\n"), { CI_NODE_INDEX: String(i + 1), CI_NODE_TOTAL: String(n), CI_PIPELINE_ID: "77", HIPAA_SCAN_KEY: "/k" }),
    ).flat();
    expectShards(runs, n);
    expect(ci.merge).toMatchObject({ stage: "merge", when: "always", needs: [{ job: "scan", artifacts: true }] });
    expect(ci.stages).toEqual(["scan", "merge"]);
    const [argv] = invocations(ci.merge.script.join("\n").replace("shard-*", "shard-STAR"), {});
    expect(argv![0]).toBe("merge");
    expectKnownOptions(argv!);
  });
});

describe("docs/examples/cron-per-site.crontab", () => {
  const lines = read("cron-per-site.crontab").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  const entries = lines.map((l) => {
    const f = l.trim().split(/\s+/);
    return { minute: Number(f[0]), hour: Number(f[1]), command: f.slice(5).join(" ").replace(/\\%/g, "%") };
  });

  it("has valid schedules, shards 1..2 of 2 for site B in one group, and merges after both", () => {
    for (const e of entries) {
      expect(e.minute).toBeGreaterThanOrEqual(0);
      expect(e.hour).toBeLessThan(24);
    }
    const runs = entries.flatMap((e) => invocations(e.command, {}));
    runs.forEach(expectKnownOptions);
    const siteB = runs.filter((argv) => argv[0] === "collect" && argv.includes("/etc/hipaa-scan/site-b.yaml"));
    expectShards(siteB, 2);
    const collectAt = entries.filter((e) => e.command.includes("collect")).map((e) => e.hour * 60 + e.minute);
    const mergeAt = entries.filter((e) => e.command.includes("merge")).map((e) => e.hour * 60 + e.minute);
    expect(Math.min(...mergeAt)).toBeGreaterThan(Math.max(...collectAt));
    const merge = runs.find((argv) => argv[0] === "merge")!;
    expect(merge.filter((a) => a.endsWith(".facts.json")).sort()).toEqual(siteB.map((argv) => flag(argv, "--output")).sort());
  });
});
