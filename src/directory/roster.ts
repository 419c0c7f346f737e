import { readTextFile } from "../core/text-file.js";
import { parse } from "csv-parse/sync";
import { UsageError, errorMessage } from "../core/errors.js";

/**
 * The staff roster (`--roster FILE`): a CSV with a header row. Recognised columns (case and
 * punctuation ignored): `sAMAccountName` (also `username`, `uid`, `login`, `account`), `mail`
 * (also `email`), `employeeID` (also `employee_id`, `employeeNumber`). Other columns (name,
 * department…) are kept out. At least one recognised column must be present. Matching is a data
 * join, not a judgement: an account is on the roster when any of its keys equals a row's value
 * (case-insensitive).
 */

export type RosterKey = "sAMAccountName" | "mail" | "employeeID";

export interface Roster {
  file: string;
  entries: number;
  columns: RosterKey[];
  keys: Record<RosterKey, Set<string>>;
}

const ALIASES: Record<string, RosterKey> = {
  samaccountname: "sAMAccountName",
  username: "sAMAccountName",
  uid: "sAMAccountName",
  login: "sAMAccountName",
  account: "sAMAccountName",
  mail: "mail",
  email: "mail",
  emailaddress: "mail",
  employeeid: "employeeID",
  employeenumber: "employeeID",
  employeeno: "employeeID",
};

const MAX_ROSTER_BYTES = 32 * 1024 * 1024;

export function parseRoster(text: string, file: string): Roster {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ""), { skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (err) {
    throw new UsageError(`--roster ${file}: not a CSV file (${errorMessage(err)})`);
  }
  const header = rows[0];
  if (!header) throw new UsageError(`--roster ${file}: empty file`);
  const columns = new Map<number, RosterKey>();
  header.forEach((h, i) => {
    const key = ALIASES[h.toLowerCase().replace(/[^a-z]/g, "")];
    if (key) columns.set(i, key);
  });
  if (columns.size === 0) {
    throw new UsageError(`--roster ${file}: no usable column; the header needs sAMAccountName (or username/uid), mail (or email) or employeeID`);
  }
  const keys: Record<RosterKey, Set<string>> = { sAMAccountName: new Set(), mail: new Set(), employeeID: new Set() };
  for (const row of rows.slice(1)) {
    for (const [i, key] of columns) {
      const v = row[i]?.trim().toLowerCase();
      if (v) keys[key].add(v);
    }
  }
  return { file, entries: rows.length - 1, columns: [...new Set(columns.values())], keys };
}

export async function loadRoster(file: string): Promise<Roster> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_ROSTER_BYTES);
  } catch (err) {
    throw new UsageError(`--roster ${file}: ${errorMessage(err)}`);
  }
  return parseRoster(text, file);
}

/** Which roster key matches the account, or null when none does. */
export function rosterMatch(
  roster: Roster,
  account: { name: string; mail: string | null; employeeID: string | null },
): RosterKey | null {
  if (roster.keys.sAMAccountName.has(account.name.toLowerCase())) return "sAMAccountName";
  if (account.mail && roster.keys.mail.has(account.mail.toLowerCase())) return "mail";
  if (account.employeeID && roster.keys.employeeID.has(account.employeeID.toLowerCase())) return "employeeID";
  return null;
}
