import { describe, expect, it } from "vitest";
import { backupArgs, defaultBackupFile, describeTarget, restoreArgs, targetFromEnv } from "./backup";

describe("targetFromEnv", () => {
  it("uses PostgreSQL when DATABASE_URL is set, else the embedded database under DATA_DIR", () => {
    expect(targetFromEnv({ DATABASE_URL: "postgres://u:p@db:5433/fd" })).toEqual({ kind: "postgres", url: "postgres://u:p@db:5433/fd" });
    expect(targetFromEnv({ DATABASE_URL: "  ", DATA_DIR: "/srv/fd" })).toEqual({ kind: "embedded", dataDir: "/srv/fd" });
    expect(targetFromEnv({})).toEqual({ kind: "embedded", dataDir: "./data" });
  });

  it("refuses a DATABASE_URL that is not a PostgreSQL URL", () => {
    expect(() => targetFromEnv({ DATABASE_URL: "mysql://db/fd" })).toThrow();
    expect(() => targetFromEnv({ DATABASE_URL: "not a url" })).toThrow();
  });
});

describe("defaultBackupFile", () => {
  const now = new Date("2026-11-25T11:50:07.123Z");
  it("names the file by kind and UTC time under backups/", () => {
    expect(defaultBackupFile({ kind: "postgres", url: "postgres://db/fd" }, now)).toBe("backups/factdesk-2026-11-25T11-50-07Z.dump");
    expect(defaultBackupFile({ kind: "embedded", dataDir: "./data" }, now)).toBe("backups/factdesk-2026-11-25T11-50-07Z.tar.gz");
  });
});

describe("arguments", () => {
  it("backup takes at most one file; restore requires exactly one", () => {
    expect(backupArgs.safeParse([]).success).toBe(true);
    expect(backupArgs.safeParse(["x.dump"]).success).toBe(true);
    expect(backupArgs.safeParse(["a", "b"]).success).toBe(false);
    expect(restoreArgs.safeParse([]).success).toBe(false);
    expect(restoreArgs.safeParse([""]).success).toBe(false);
    expect(restoreArgs.safeParse(["x.dump"]).success).toBe(true);
  });
});

describe("describeTarget", () => {
  it("never prints the password of the database URL", () => {
    const text = describeTarget({ kind: "postgres", url: "postgres://user:s3cret@db.internal:5433/factdesk" });
    expect(text).toBe("PostgreSQL database factdesk on db.internal:5433");
    expect(text).not.toContain("s3cret");
  });
});
