import { describe, expect, it } from "vitest";
import { parseRoster, rosterMatch } from "../../../src/directory/roster.js";

describe("roster CSV", () => {
  const roster = parseRoster(
    'Full Name,Username,E-mail,Employee ID,Dept\n"Smith, Doc",doc.smith,,E2,IT\nBob,,Bob.Smith@hsl.lab,,Billing\nDave,,,E1004,Nursing\n',
    "staff.csv",
  );
  it("recognises the documented columns by alias, any case", () => {
    expect(roster.entries).toBe(3);
    expect(roster.columns.sort()).toEqual(["employeeID", "mail", "sAMAccountName"]);
  });
  it("matches on account name, mail or employeeID, case-insensitively", () => {
    expect(rosterMatch(roster, { name: "DOC.SMITH", mail: null, employeeID: null })).toBe("sAMAccountName");
    expect(rosterMatch(roster, { name: "bsmith", mail: "bob.smith@HSL.lab", employeeID: null })).toBe("mail");
    expect(rosterMatch(roster, { name: "adm-dave", mail: null, employeeID: "e1004" })).toBe("employeeID");
    expect(rosterMatch(roster, { name: "quinn.left", mail: "quinn@hsl.lab", employeeID: "E9999" })).toBeNull();
  });
  it("rejects a file without a usable column", () => {
    expect(() => parseRoster("name,department\nA,B\n", "x.csv")).toThrow(/no usable column/);
    expect(() => parseRoster("", "x.csv")).toThrow(/empty/);
  });
});
