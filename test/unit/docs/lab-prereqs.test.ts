import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LAB_PREREQUISITES, missingPrerequisites } from "../../lab/prereqs.js";

const listed = new Set(
  readFileSync(new URL("../../../.ci/apt-packages.txt", import.meta.url), "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean),
);

describe("lab prerequisites", () => {
  it.each(Object.keys(LAB_PREREQUISITES))("every Debian package the %s lab needs is in .ci/apt-packages.txt", (lab) => {
    for (const p of LAB_PREREQUISITES[lab as keyof typeof LAB_PREREQUISITES]) expect(listed, `${p.path} comes from ${p.debian}`).toContain(p.debian);
  });

  it("names the package of each missing file in one line", () => {
    const missing = missingPrerequisites("samba", (p) => !p.path.includes("ad-schema"));
    expect(missing).toEqual(["missing /usr/share/samba/setup/ad-schema/AD_DS_Attributes__Windows_Server_2012_R2.ldf: apt-get install samba-ad-provision"]);
  });
});
