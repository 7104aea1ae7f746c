import { describe, expect, it } from "vitest";
import { parseAuthorization } from "./bearer";

describe("parseAuthorization", () => {
  it("finds no credential without a header", () => {
    expect(parseAuthorization(null)).toEqual({ kind: "none" });
  });

  it("reads a bearer token, whatever the scheme's case and the spacing around it", () => {
    expect(parseAuthorization("Bearer fdt_abc-DEF_123")).toEqual({ kind: "bearer", secret: "fdt_abc-DEF_123" });
    expect(parseAuthorization("bearer   fdt_x ")).toEqual({ kind: "bearer", secret: "fdt_x" });
    expect(parseAuthorization("BEARER fdt_x==")).toEqual({ kind: "bearer", secret: "fdt_x==" });
  });

  it.each(["", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Token fdt_x", "Bearer fdt_x extra", "Bearer fdt_<script>", "fdt_x"])(
    "calls %j malformed rather than ignoring it",
    (header) => {
      expect(parseAuthorization(header)).toEqual({ kind: "malformed" });
    },
  );
});
