import { describe, expect, it } from "vitest";
import { InvalidCredentialsError, StrongAuthRequiredError, InsufficientAccessError, TimeLimitExceededError } from "ldapts";
import { classifyLdapError } from "../../../src/transports/ldap/client.js";

describe("LDAP error classification", () => {
  it("maps result codes to target statuses with fixes", () => {
    expect(classifyLdapError(new InvalidCredentialsError("x"), "bind", 1000)).toMatchObject({ kind: "auth_failed", status: "auth_failed" });
    const strong = classifyLdapError(new StrongAuthRequiredError("x"), "bind", 1000);
    expect(strong).toMatchObject({ kind: "strong_auth_required", status: "error" });
    expect(strong.message).toMatch(/ldaps:\/\/.*--starttls/);
    expect(classifyLdapError(new InsufficientAccessError("x"), "search", 1000).kind).toBe("insufficient_access");
    expect(classifyLdapError(new TimeLimitExceededError("x"), "search", 1000).kind).toBe("time_limit");
  });
  it("maps socket and TLS errors", () => {
    expect(classifyLdapError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "bind", 1000).status).toBe("unreachable");
    const tls = classifyLdapError(Object.assign(new Error("self-signed"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }), "bind", 1000);
    expect(tls.kind).toBe("tls_untrusted");
    expect(tls.message).toMatch(/--ca-file.*--insecure-tls/);
    expect(classifyLdapError(new Error("SearchRequest: Operation timed out"), "search", 2500).message).toMatch(/no answer within 2500 ms/);
    expect(classifyLdapError(new Error("Connection timeout"), "bind", 2500).status).toBe("unreachable");
  });
});
