import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getAudit } from "@/app/api/teams/[team]/audit/route";
import { recordAudit } from "@/db/queries/audit";
import { createInvite } from "@/db/queries/invites";
import { changeMemberRole } from "@/db/queries/members";
import { auditEvents } from "@/db/schema";
import { colourFor } from "@/model/person-colour";
import { ROLES } from "@/model/roles";
import { call, createDesk, type TestDesk, type TestUser } from "../support/api";
import { createTextArticle } from "../support/collab";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

// A title a spreadsheet would run as a formula, with a comma, a quote and a line break to quote.
const NASTY_TITLE = '=HYPERLINK("http://evil.example","click"), and\n"more"';

describe("GET /api/teams/:team/audit", () => {
  let desk: TestDesk;
  let other: TestDesk;
  let articleId: string;

  const get = (as: TestUser | undefined, query: Record<string, string> = {}, team = desk.team.slug) => call(getAudit, { as, params: { team }, query });

  beforeAll(async () => {
    desk = await createDesk(app, "Audit Desk");
    other = await createDesk(app, "Other Audit Desk");
    const { users } = desk;
    await changeMemberRole(app.db, { teamId: desk.team.id, userId: users.checker.id, role: "editor", actorId: users.owner.id });
    await changeMemberRole(app.db, { teamId: desk.team.id, userId: users.checker.id, role: "checker", actorId: users.owner.id });
    await createInvite(app.db, { teamId: desk.team.id, role: "commenter", createdBy: users.owner.id, expiresInDays: 7 });
    articleId = (await createTextArticle(app.db, { teamId: desk.team.id, createdBy: users.editor.id, title: NASTY_TITLE, text: "Some text." })).id;
    // Sign-ins belong to no desk: the editor's shows here, the outsider's does not, nor does one from
    // before the editor joined.
    await recordAudit(app.db, { teamId: null, actorId: users.editor.id, action: "auth.sign_in", data: { provider: "credentials" } });
    await recordAudit(app.db, { teamId: null, actorId: desk.outsider.id, action: "auth.sign_in", data: { provider: "credentials" } });
    await app.db.insert(auditEvents).values({ teamId: null, actorId: users.editor.id, action: "auth.sign_in", data: { provider: "old" }, createdAt: new Date("2001-01-01T12:00:00Z") });
    // Two old events of the desk, to filter by date.
    await app.db.insert(auditEvents).values([
      { teamId: desk.team.id, actorId: users.owner.id, action: "team.settings", targetType: "team", targetId: desk.team.id, createdAt: new Date("2020-03-01T10:00:00Z") },
      { teamId: desk.team.id, actorId: users.owner.id, action: "team.settings", targetType: "team", targetId: desk.team.id, createdAt: new Date("2020-03-02T23:30:00Z") },
    ]);
    // The other desk's events never show.
    await changeMemberRole(app.db, { teamId: other.team.id, userId: other.users.viewer.id, role: "commenter", actorId: other.users.owner.id });
  });

  it("answers owners only: 403 for every other role, 404 outside the desk, 401 signed out", async () => {
    for (const role of ROLES.filter((r) => r !== "owner")) {
      const res = await get(desk.users[role]);
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
      expect((await get(desk.users[role], { format: "csv" })).status, role).toBe(403);
    }
    expect(await get(desk.outsider)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect((await get(other.users.owner)).status).toBe(404);
    expect((await get(desk.users.owner, {}, "no-such-desk")).status).toBe(404);
    expect((await get(undefined)).status).toBe(401);
  });

  it("lists the desk's events newest first, with people and targets resolved", async () => {
    const res = await get(desk.users.owner);
    expect(res.status).toBe(200);
    const events = res.body.events as { id: number; at: string; action: string; actor: { id: string; name: string; colour: string } | null; targetType: string | null; targetId: string | null; targetLabel: string | null; data: Record<string, unknown> }[];
    expect(res.body.nextBefore).toBeNull();
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(events.map((e) => e.action)).toEqual([
      "team.settings",
      "team.settings",
      "auth.sign_in",
      "article.import",
      "invite.create",
      "member.role_change",
      "member.role_change",
      "team.create",
    ]);

    const [, , signIn, imported, invite, back, promoted, created] = events;
    expect(signIn).toMatchObject({ actor: { id: desk.users.editor.id, name: desk.users.editor.name, colour: colourFor(desk.users.editor.id) }, data: { provider: "credentials" } });
    expect(imported).toMatchObject({ targetType: "article", targetId: articleId, targetLabel: NASTY_TITLE });
    expect(invite).toMatchObject({ targetType: "invite", targetLabel: null, data: { role: "commenter" } });
    expect(promoted).toMatchObject({ actor: { id: desk.users.owner.id }, targetType: "user", targetId: desk.users.checker.id, targetLabel: desk.users.checker.name, data: { from: "checker", to: "editor" } });
    expect(back!.data).toEqual({ from: "editor", to: "checker" });
    expect(created).toMatchObject({ targetType: "team", targetLabel: "Audit Desk" });
    expect(new Date(created!.at).toISOString()).toBe(created!.at);
    expect(JSON.stringify(events)).not.toContain(desk.outsider.id);
    expect(JSON.stringify(events)).not.toContain(other.users.viewer.id);
  });

  it("filters by action, person and date range, and pages with nextBefore", async () => {
    const byAction = await get(desk.users.owner, { action: "member.role_change" });
    expect(byAction.body.events.map((e: { targetId: string }) => e.targetId)).toEqual([desk.users.checker.id, desk.users.checker.id]);

    const byEditor = await get(desk.users.owner, { actorId: desk.users.editor.id });
    expect(byEditor.body.events.map((e: { action: string }) => e.action)).toEqual(["auth.sign_in", "article.import"]);

    const combined = await get(desk.users.owner, { actorId: desk.users.owner.id, action: "invite.create" });
    expect(combined.body.events).toHaveLength(1);

    // Bare dates cover whole UTC days; instants are exact; both bounds are inclusive.
    const days = await get(desk.users.owner, { from: "2020-03-01", to: "2020-03-02" });
    expect(days.body.events.map((e: { at: string }) => e.at)).toEqual(["2020-03-02T23:30:00.000Z", "2020-03-01T10:00:00.000Z"]);
    const oneDay = await get(desk.users.owner, { from: "2020-03-01", to: "2020-03-01" });
    expect(oneDay.body.events.map((e: { at: string }) => e.at)).toEqual(["2020-03-01T10:00:00.000Z"]);
    const instants = await get(desk.users.owner, { from: "2020-03-02T23:30:00.000Z", to: "2020-03-03T01:00:00+01:00" });
    expect(instants.body.events.map((e: { at: string }) => e.at)).toEqual(["2020-03-02T23:30:00.000Z"]);
    const since = await get(desk.users.owner, { from: "2021-01-01" });
    expect(since.body.events).toHaveLength(6);
    const empty = await get(desk.users.owner, { action: "revision.restore" });
    expect(empty.body).toEqual({ events: [], nextBefore: null });
    // An empty filter from a form means "no filter".
    expect((await get(desk.users.owner, { action: "", actorId: "", from: "", to: "" })).body.events).toHaveLength(8);

    const all = (await get(desk.users.owner)).body.events.map((e: { id: number }) => e.id);
    const paged: number[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = before === null ? { limit: "3" } : { limit: "3", before: String(before) };
      const res = await get(desk.users.owner, query);
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBeLessThanOrEqual(3);
      paged.push(...res.body.events.map((e: { id: number }) => e.id));
      before = res.body.nextBefore;
      pages += 1;
    } while (before !== null);
    expect(pages).toBe(3);
    expect(paged).toEqual(all);

    // Filters and paging together.
    const first = await get(desk.users.owner, { action: "member.role_change", limit: "1" });
    expect(first.body.nextBefore).toBe(first.body.events[0].id);
    const second = await get(desk.users.owner, { action: "member.role_change", limit: "1", before: String(first.body.nextBefore) });
    expect(second.body.events).toHaveLength(1);
    expect(second.body.nextBefore).toBeNull();
  });

  it("exports the matching events as RFC 4180 CSV, with formulas neutralised", async () => {
    const res = await get(desk.users.owner, { format: "csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-audit-desk-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = res.body as string;
    expect(text.split("\r\n")[0]).toBe("id,time,action,description,actor_id,actor,target_type,target_id,target,details");
    expect(text.endsWith("\r\n")).toBe(true);

    const records = parse(text, { columns: true }) as Record<string, string>[];
    const json = (await get(desk.users.owner)).body.events as { id: number; at: string; action: string }[];
    expect(records.map((r) => Number(r.id))).toEqual(json.map((e) => e.id));
    expect(records.map((r) => r.time)).toEqual(json.map((e) => e.at));

    const imported = records.find((r) => r.action === "article.import")!;
    expect(imported.description).toBe("Imported an article");
    expect(imported.actor).toBe(desk.users.editor.name);
    // The leading "=" is escaped with a quote; the comma, quotes and line break survive the round trip.
    expect(imported.target).toBe(`'${NASTY_TITLE}`);
    expect(JSON.parse(imported.details!)).toEqual({ title: NASTY_TITLE });
    const promoted = records.filter((r) => r.action === "member.role_change").at(-1)!;
    expect(promoted).toMatchObject({ description: "Changed a role", actor: desk.users.owner.name, target: desk.users.checker.name });
    expect(JSON.parse(promoted.details!)).toEqual({ from: "checker", to: "editor" });
    expect(text).not.toMatch(/(^|,)[=+@-]/m);

    const filtered = parse((await get(desk.users.owner, { format: "csv", action: "team.settings", from: "2020-03-02" })).body as string, { columns: true }) as Record<string, string>[];
    expect(filtered.map((r) => r.time)).toEqual(["2020-03-02T23:30:00.000Z"]);
    const none = (await get(desk.users.owner, { format: "csv", action: "revision.create" })).body as string;
    expect(none).toBe("id,time,action,description,actor_id,actor,target_type,target_id,target,details\r\n");
  });

  it("streams a large export past one read slice, every event once", async () => {
    const big = await createDesk(app, "Big Audit Desk");
    await app.db.insert(auditEvents).values(
      Array.from({ length: 2_345 }, (_, i) => ({ teamId: big.team.id, actorId: big.users.owner.id, action: "team.settings", data: { i } })),
    );
    const res = await get(big.users.owner, { format: "csv" }, big.team.slug);
    const records = parse(res.body as string, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2_346);
    expect(new Set(records.map((r) => r.id)).size).toBe(2_346);
    expect(records.at(-1)!.action).toBe("team.create");
  });

  it("refuses bad parameters with 400", async () => {
    const bad: Record<string, string>[] = [
      { action: "member.everything" },
      { actorId: "not-a-uuid" },
      { from: "yesterday" },
      { to: "2020-13-01" },
      { from: "2020-03-02", to: "2020-03-01" },
      { before: "0" },
      { before: "abc" },
      { limit: "0" },
      { limit: "201" },
      { limit: "1.5" },
      { format: "xml" },
    ];
    for (const query of bad) {
      const res = await get(desk.users.owner, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    expect((await get(desk.users.owner, { format: "csv", from: "nope" })).status).toBe(400);
  });
});
