import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseActivityWindow, resolveActivityWindow } from "../../../src/cli/activity-window.js";
import { runOptions } from "../../../src/cli/scan-command.js";

describe("--activity-window", () => {
  it("takes days or weeks", () => {
    expect(parseActivityWindow("30")).toBe(30);
    expect(parseActivityWindow("90d")).toBe(90);
    expect(parseActivityWindow("6w")).toBe(42);
  });

  it("refuses anything else with a usage error", () => {
    for (const bad of ["", "0d", "soon", "30h", "-5", "9999d"]) expect(() => parseActivityWindow(bad), bad).toThrow(UsageError);
  });

  it("sets the probe window and the rules' window_days together; --param window_days alone sets both too", () => {
    expect(resolveActivityWindow("60d", {})).toEqual({ days: 60, params: { window_days: "60" } });
    expect(resolveActivityWindow(undefined, { window_days: "45" })).toEqual({ days: 45, params: { window_days: "45" } });
    expect(resolveActivityWindow(undefined, {})).toEqual({ days: undefined, params: {} });
    expect(resolveActivityWindow("60d", { window_days: "60" }).days).toBe(60);
  });

  it("a flag and a param that disagree are an error, before anything is scanned", () => {
    expect(() => resolveActivityWindow("7d", { window_days: "30" })).toThrow(/disagree/);
    expect(() => runOptions({ activityWindow: "7d", param: ["window_days=30"] })).toThrow(UsageError);
    expect(runOptions({ activityWindow: "2w" }).params).toEqual({ window_days: "14" });
  });
});
