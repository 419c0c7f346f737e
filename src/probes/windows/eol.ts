/**
 * End of support for Windows releases, by build number (Microsoft lifecycle pages). Client dates
 * are those of Home/Pro editions; Enterprise, Education, LTSC and IoT editions have other dates
 * and are left out (null = not in the table). Server dates are the end of extended support.
 */
const CLIENT: Record<number, string> = {
  7601: "2020-01-14", // Windows 7 SP1
  9200: "2016-01-12", // Windows 8
  9600: "2023-01-10", // Windows 8.1
  10240: "2017-05-09",
  10586: "2017-10-10",
  14393: "2018-04-10",
  15063: "2018-10-09",
  16299: "2019-04-09",
  17134: "2019-11-12",
  17763: "2020-11-10",
  18362: "2020-12-08",
  18363: "2021-05-11",
  19041: "2021-12-14",
  19042: "2022-05-10",
  19043: "2022-12-13",
  19044: "2023-06-13",
  19045: "2025-10-14", // Windows 10 22H2, the last Windows 10
  22000: "2023-10-10",
  22621: "2024-10-08",
  22631: "2025-11-11",
  26100: "2026-10-13",
  26200: "2027-10-12",
};

const SERVER: Record<number, string> = {
  7601: "2020-01-14", // Server 2008 R2
  9200: "2023-10-10", // Server 2012
  9600: "2023-10-10", // Server 2012 R2
  14393: "2027-01-12", // Server 2016
  17763: "2029-01-09", // Server 2019
  20348: "2031-10-14", // Server 2022
  26100: "2034-10-10", // Server 2025
};

/**
 * Whether the release's support ended before `now`; null when the release or edition is not in
 * the table. `productType` is Win32_OperatingSystem.ProductType (1 workstation, 2 DC, 3 server).
 */
export function windowsEndOfLife(build: number, productType: number, caption: string, now: Date): { eol: boolean | null; date: string | null } {
  const server = productType === 2 || productType === 3;
  if (!server && /Enterprise|Education|LTSC|LTSB|IoT/i.test(caption)) return { eol: null, date: null };
  const date = (server ? SERVER : CLIENT)[build];
  if (!date) return { eol: null, date: null };
  return { eol: now.getTime() > Date.parse(`${date}T23:59:59Z`), date };
}
