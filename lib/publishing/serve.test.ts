import { describe, expect, it } from "vitest";
import { publicPageAddress } from "./serve";

describe("publicPageAddress", () => {
  it("reads the desk, the article and the version from a public path, ignoring the query", () => {
    expect(publicPageAddress("/p/demo-desk/some-article")).toEqual({ teamSlug: "demo-desk", articleSlug: "some-article" });
    expect(publicPageAddress("/p/demo-desk/some-article/v/12?utm=x")).toEqual({ teamSlug: "demo-desk", articleSlug: "some-article", version: "12" });
    expect(publicPageAddress("/p/d%65sk/a")).toEqual({ teamSlug: "desk", articleSlug: "a" });
  });

  it("leaves every other path alone", () => {
    for (const path of ["/p/desk", "/p/desk/a/", "/p/desk/a/v", "/p/desk/a/v/1/x", "/p/desk/a/b", "/api/p/desk/a", "/p/%E0%A4%A/a", "/pdesk/a"]) {
      expect(publicPageAddress(path), path).toBeUndefined();
    }
  });
});
