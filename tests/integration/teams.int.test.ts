import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getArticle } from "@/app/api/articles/[id]/route";
import { POST as acceptInviteRoute } from "@/app/api/invites/[token]/accept/route";
import { GET as getInvite } from "@/app/api/invites/[token]/route";
import { GET as listArticlesRoute, POST as importArticle } from "@/app/api/teams/[team]/articles/route";
import { DELETE as revokeInviteRoute } from "@/app/api/teams/[team]/invites/[inviteId]/route";
import { GET as listInvitesRoute, POST as createInviteRoute } from "@/app/api/teams/[team]/invites/route";
import { DELETE as removeMemberRoute, PATCH as changeRoleRoute } from "@/app/api/teams/[team]/members/[userId]/route";
import { GET as listMembersRoute } from "@/app/api/teams/[team]/members/route";
import { GET as getTeam } from "@/app/api/teams/[team]/route";
import { GET as listTeams, POST as createTeamRoute } from "@/app/api/teams/route";
import { auditEvents, invites, memberships } from "@/db/schema";
import { call, createUser, setRole, type TestUser } from "../support/api";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

async function roleOf(teamId: string, userId: string): Promise<string | undefined> {
  const [row] = await app.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return row?.role;
}

async function auditTrail(teamId: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.teamId, teamId)).orderBy(asc(auditEvents.id));
}

async function newTeam(owner: TestUser, name: string, slug?: string) {
  const res = await call(createTeamRoute, { as: owner, json: slug ? { name, slug } : { name } });
  expect(res.status).toBe(201);
  return res.body.team as { id: string; slug: string; name: string; role: string };
}

async function invite(owner: TestUser, team: string, role: string) {
  const res = await call(createInviteRoute, { as: owner, params: { team }, json: { role } });
  expect(res.status).toBe(201);
  return res.body.invite as { id: string; role: string; token: string; url: string; expiresAt: string };
}

describe("creating a desk", () => {
  let owner: TestUser;
  beforeAll(async () => {
    owner = await createUser(app, { name: "Olga Owner" });
  });

  it("makes the creator its owner and derives the slug from the name", async () => {
    const team = await newTeam(owner, "Climate & Energy Desk");
    expect(team).toMatchObject({ name: "Climate & Energy Desk", slug: "climate-and-energy-desk", role: "owner" });
    expect(await roleOf(team.id, owner.id)).toBe("owner");
    const listed = await call(listTeams, { as: owner });
    expect(listed.body.teams).toContainEqual({ id: team.id, slug: team.slug, name: team.name, role: "owner" });
    const trail = await auditTrail(team.id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: "team.create", actorId: owner.id, targetType: "team", targetId: team.id });
  });

  it("gives concurrent desks of the same name distinct slugs, and one explicit slug to one creator", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => call(createTeamRoute, { as: owner, json: { name: "Breaking News" } })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.body.team.slug).sort()).toEqual(["breaking-news", "breaking-news-2", "breaking-news-3", "breaking-news-4", "breaking-news-5"]);
    const explicit = await Promise.all(
      Array.from({ length: 3 }, () => call(createTeamRoute, { as: owner, json: { name: "Wanted", slug: "wanted-address" } })),
    );
    expect(explicit.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it("de-duplicates derived slugs and refuses a taken explicit slug", async () => {
    const first = await newTeam(owner, "Elections");
    const second = await newTeam(owner, "Elections");
    const third = await newTeam(owner, "elections!");
    expect([first.slug, second.slug, third.slug]).toEqual(["elections", "elections-2", "elections-3"]);
    const other = await createUser(app);
    const clash = await call(createTeamRoute, { as: other, json: { name: "Mine", slug: "elections-2" } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe("conflict");
    const chosen = await newTeam(other, "Mine", "my-own-desk");
    expect(chosen.slug).toBe("my-own-desk");
    // Someone else's desks are not listed.
    const listed = await call(listTeams, { as: other });
    expect(listed.body.teams.map((t: { slug: string }) => t.slug)).toEqual(["my-own-desk"]);
  });
});

describe("invites, roles and removal", () => {
  let owner: TestUser;
  let team: { id: string; slug: string };

  beforeAll(async () => {
    owner = await createUser(app, { name: "Desk Owner" });
    team = await newTeam(owner, "Invites Desk");
  });

  it("invite link → accept joins the desk with the invite's role", async () => {
    const joiner = await createUser(app, { name: "Joiner" });
    const created = await invite(owner, team.slug, "checker");
    expect(created.url).toBe(`http://localhost:3000/invite/${created.token}`);
    // Only a hash of the token is stored.
    const [stored] = await app.db.select().from(invites).where(eq(invites.id, created.id));
    expect(stored?.tokenHash).toBeTruthy();
    expect(stored?.tokenHash).not.toBe(created.token);
    expect(stored?.tokenHash).not.toContain(created.token);

    const preview = await call(getInvite, { params: { token: created.token } });
    expect(preview.status).toBe(200);
    expect(preview.body.invite).toMatchObject({ team: { slug: team.slug, name: "Invites Desk" }, role: "checker" });

    // Before accepting, the desk does not exist for the joiner.
    expect((await call(getTeam, { as: joiner, params: { team: team.slug } })).status).toBe(404);
    const accepted = await call(acceptInviteRoute, { as: joiner, params: { token: created.token } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.team).toMatchObject({ id: team.id, slug: team.slug, role: "checker" });
    expect(await roleOf(team.id, joiner.id)).toBe("checker");
    const seen = await call(getTeam, { as: joiner, params: { team: team.slug } });
    expect(seen.status).toBe(200);
    expect(seen.body.team.role).toBe("checker");

    const [after] = await app.db.select().from(invites).where(eq(invites.id, created.id));
    expect(after?.acceptedCount).toBe(1);
    const listed = await call(listInvitesRoute, { as: owner, params: { team: team.slug } });
    const entry = listed.body.invites.find((i: { id: string }) => i.id === created.id);
    expect(entry).toMatchObject({ role: "checker", acceptedCount: 1 });
    expect(JSON.stringify(listed.body)).not.toContain(created.token);
  });

  it("accepting never lowers a higher role, but raises a lower one", async () => {
    const editor = await createUser(app);
    const viewer = await createUser(app);
    await setRole(app.db, { teamId: team.id, userId: editor.id, role: "editor" });
    await setRole(app.db, { teamId: team.id, userId: viewer.id, role: "viewer" });
    const link = await invite(owner, team.slug, "commenter");

    const kept = await call(acceptInviteRoute, { as: editor, params: { token: link.token } });
    expect(kept.status).toBe(200);
    expect(kept.body.team.role).toBe("editor");
    expect(await roleOf(team.id, editor.id)).toBe("editor");

    const raised = await call(acceptInviteRoute, { as: viewer, params: { token: link.token } });
    expect(raised.body.team.role).toBe("commenter");
    expect(await roleOf(team.id, viewer.id)).toBe("commenter");

    // The owner accepting their own desk's link stays owner.
    const self = await call(acceptInviteRoute, { as: owner, params: { token: link.token } });
    expect(self.body.team.role).toBe("owner");
    expect(await roleOf(team.id, owner.id)).toBe("owner");
  });

  it("revoked and expired links no longer work", async () => {
    const joiner = await createUser(app);
    const revoked = await invite(owner, team.slug, "viewer");
    expect((await call(revokeInviteRoute, { as: owner, method: "DELETE", params: { team: team.slug, inviteId: revoked.id } })).status).toBe(204);
    expect((await call(getInvite, { params: { token: revoked.token } })).status).toBe(404);
    const refused = await call(acceptInviteRoute, { as: joiner, params: { token: revoked.token } });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("not_found");

    const expired = await invite(owner, team.slug, "viewer");
    await app.db.update(invites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invites.id, expired.id));
    expect((await call(getInvite, { params: { token: expired.token } })).status).toBe(404);
    expect((await call(acceptInviteRoute, { as: joiner, params: { token: expired.token } })).status).toBe(404);
    expect(await roleOf(team.id, joiner.id)).toBeUndefined();

    const live = await call(listInvitesRoute, { as: owner, params: { team: team.slug } });
    const ids = live.body.invites.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(revoked.id);
    expect(ids).not.toContain(expired.id);
  });

  it("an owner changes roles; the members list shows them, owners first", async () => {
    const member = await createUser(app, { name: "Aaron Member" });
    await setRole(app.db, { teamId: team.id, userId: member.id, role: "checker" });
    const res = await call(changeRoleRoute, { as: owner, method: "PATCH", params: { team: team.slug, userId: member.id }, json: { role: "editor" } });
    expect(res.status).toBe(200);
    expect(res.body.member).toEqual({ userId: member.id, role: "editor" });
    expect(await roleOf(team.id, member.id)).toBe("editor");

    const list = await call(listMembersRoute, { as: member, params: { team: team.slug } });
    expect(list.status).toBe(200);
    expect(list.body.members[0]).toMatchObject({ userId: owner.id, role: "owner" });
    expect(list.body.members).toContainEqual(expect.objectContaining({ userId: member.id, role: "editor", name: "Aaron Member" }));
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash/);
  });

  it("the last owner can be neither demoted nor removed", async () => {
    const solo = await createUser(app);
    const desk = await newTeam(solo, "Solo Desk");
    const demote = await call(changeRoleRoute, { as: solo, method: "PATCH", params: { team: desk.slug, userId: solo.id }, json: { role: "editor" } });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe("conflict");
    const remove = await call(removeMemberRoute, { as: solo, method: "DELETE", params: { team: desk.slug, userId: solo.id } });
    expect(remove.status).toBe(409);
    expect(await roleOf(desk.id, solo.id)).toBe("owner");

    // With a second owner, the first may step down; then the second is the last one.
    const second = await createUser(app);
    await setRole(app.db, { teamId: desk.id, userId: second.id, role: "editor" });
    expect(
      (await call(changeRoleRoute, { as: solo, method: "PATCH", params: { team: desk.slug, userId: second.id }, json: { role: "owner" } })).status,
    ).toBe(200);
    expect((await call(changeRoleRoute, { as: solo, method: "PATCH", params: { team: desk.slug, userId: solo.id }, json: { role: "editor" } })).status).toBe(200);
    expect(await roleOf(desk.id, solo.id)).toBe("editor");
    expect((await call(removeMemberRoute, { as: second, method: "DELETE", params: { team: desk.slug, userId: second.id } })).status).toBe(409);
    expect(await roleOf(desk.id, second.id)).toBe("owner");
  });

  it("two owners demoting each other at once leave one owner", async () => {
    const a = await createUser(app);
    const desk = await newTeam(a, "Race Desk");
    const b = await createUser(app);
    await setRole(app.db, { teamId: desk.id, userId: b.id, role: "owner" });
    const results = await Promise.all([
      call(changeRoleRoute, { as: a, method: "PATCH", params: { team: desk.slug, userId: b.id }, json: { role: "viewer" } }),
      call(changeRoleRoute, { as: b, method: "PATCH", params: { team: desk.slug, userId: a.id }, json: { role: "viewer" } }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // Whichever runs second either finds it is no longer an owner (403) or that it would remove the last one (409).
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const roles = [await roleOf(desk.id, a.id), await roleOf(desk.id, b.id)];
    expect(roles.filter((r) => r === "owner")).toHaveLength(1);
  });

  it("a removed member loses access to the desk and its articles", async () => {
    const editor = await createUser(app, { name: "Leaving Editor" });
    await setRole(app.db, { teamId: team.id, userId: editor.id, role: "editor" });
    const imported = await call(importArticle, {
      as: editor,
      params: { team: team.slug },
      json: { title: "Before leaving", format: "text", content: "A paragraph." },
    });
    expect(imported.status).toBe(201);
    const articleId = imported.body.article.id as string;
    expect((await call(getArticle, { as: editor, params: { id: articleId } })).status).toBe(200);

    const removed = await call(removeMemberRoute, { as: owner, method: "DELETE", params: { team: team.slug, userId: editor.id } });
    expect(removed.status).toBe(204);
    expect(await roleOf(team.id, editor.id)).toBeUndefined();

    for (const res of [
      await call(getTeam, { as: editor, params: { team: team.slug } }),
      await call(listArticlesRoute, { as: editor, params: { team: team.slug } }),
      await call(listMembersRoute, { as: editor, params: { team: team.slug } }),
      await call(getArticle, { as: editor, params: { id: articleId } }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    const teamsLeft = await call(listTeams, { as: editor });
    expect(teamsLeft.body.teams.map((t: { id: string }) => t.id)).not.toContain(team.id);
    // Removing someone who is not a member is a 404, not a silent success.
    expect((await call(removeMemberRoute, { as: owner, method: "DELETE", params: { team: team.slug, userId: editor.id } })).status).toBe(404);
  });

  it("records every step in the desk's audit log", async () => {
    const trail = await auditTrail(team.id);
    const actions = new Set(trail.map((e) => e.action));
    for (const action of ["team.create", "invite.create", "invite.accept", "member.role_change", "member.remove", "article.import"]) {
      expect(actions, action).toContain(action);
    }
    const roleChange = trail.find((e) => e.action === "member.role_change");
    expect(roleChange).toMatchObject({ actorId: owner.id, targetType: "user", data: { from: "checker", to: "editor" } });
    const removal = trail.find((e) => e.action === "member.remove");
    expect(removal).toMatchObject({ actorId: owner.id, targetType: "user", data: { role: "editor" } });
    const accept = trail.find((e) => e.action === "invite.accept");
    expect(accept?.data).toEqual({ role: "checker" });
    // Failed attempts (revoked links, the last owner) leave no events behind.
    expect(trail.filter((e) => e.action === "member.remove")).toHaveLength(1);
  });
});
