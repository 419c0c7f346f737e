/**
 * End of free public security support per distribution release, at month precision (the last day
 * of the month the vendor names). Sources: the vendors' lifecycle pages as summarised by
 * https://endoflife.date (Debian: including Debian LTS; Ubuntu: standard support, not the paid ESM;
 * RHEL and rebuilds: end of maintenance support, not the paid ELS). Update when a release ships.
 */
const TABLE: Record<string, Record<string, string>> = {
  debian: { "8": "2020-06-30", "9": "2022-06-30", "10": "2024-06-30", "11": "2026-08-31", "12": "2028-06-30", "13": "2030-06-30" },
  ubuntu: {
    "16.04": "2021-04-30",
    "18.04": "2023-05-31",
    "20.04": "2025-05-31",
    "22.04": "2027-04-30",
    "23.04": "2024-01-31",
    "23.10": "2024-07-31",
    "24.04": "2029-04-30",
    "24.10": "2025-07-31",
    "25.04": "2026-01-31",
    "25.10": "2026-07-31",
  },
  rhel: { "6": "2020-11-30", "7": "2024-06-30", "8": "2029-05-31", "9": "2032-05-31", "10": "2035-05-31" },
  centos: { "6": "2020-11-30", "7": "2024-06-30", "8": "2021-12-31", "9": "2027-05-31", "10": "2030-01-01" },
  amzn: { "2": "2026-06-30", "2023": "2029-06-30" },
  "opensuse-leap": { "15.4": "2023-12-31", "15.5": "2024-12-31", "15.6": "2026-04-30" },
};
// Rebuilds follow RHEL's dates.
for (const id of ["rocky", "almalinux", "ol"]) TABLE[id] = TABLE.rhel ?? {};

/** Which table key a VERSION_ID belongs to: RHEL-like use the major version ("9.4" → "9"). */
function releaseKey(id: string, version: string): string {
  if (["rhel", "rocky", "almalinux", "ol", "centos"].includes(id)) return version.split(".")[0] ?? version;
  return version;
}

/** The end-of-support day (YYYY-MM-DD) of a release, or null when the table does not know it. */
export function endOfLifeDate(id: string, version: string): string | null {
  const table = TABLE[id];
  if (!table) return null;
  return table[releaseKey(id, version)] ?? null;
}

/** Whether support ended before `now`; null when the table does not know the release. */
export function isEndOfLife(id: string, version: string, now: Date): boolean | null {
  const day = endOfLifeDate(id, version);
  if (!day) return null;
  return now.getTime() > Date.parse(`${day}T23:59:59Z`);
}
