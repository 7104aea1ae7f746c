import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { GuestRole } from "@/model/permissions";
import type { Role } from "@/model/roles";
import { GUEST_LINK_DAYS } from "@/model/schemas/guests";
import type { Database, DbOrTx } from "../client";
import { articleGuests, articles, docUpdates, guestInvites, memberships, teams, users, type GuestInvite } from "../schema";
import { recordAudit } from "./audit";
import { getRole } from "./members";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

// The guest roles are a subset of the role enum the columns store.
const asGuestRole = (role: Role) => role as GuestRole;

/** The article a guest link is for, with its desk: what the landing page shows and where acceptance leads. */
export interface GuestInviteTarget {
  invite: GuestInvite;
  article: { id: string; title: string };
  team: { id: string; slug: string; name: string };
}

async function findArticleTitle(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<string> {
  const [row] = await db
    .select({ title: articles.title })
    .from(articles)
    .where(and(eq(articles.teamId, params.teamId), eq(articles.id, params.articleId)));
  if (!row) throw new AppError("not_found", "No such article.");
  return row.title;
}

/**
 * Creates a single-use link that makes its taker a guest of one article until `accessExpiresAt`. The
 * token is returned once; only its hash is stored. The link itself stops working after
 * GUEST_LINK_DAYS, or when the access it grants would already be over, whichever comes first.
 */
export async function createGuestInvite(
  db: Database,
  params: { teamId: string; articleId: string; role: GuestRole; accessExpiresAt: Date; createdBy: string },
): Promise<{ invite: GuestInvite; token: string }> {
  const token = randomBytes(24).toString("base64url");
  const linkExpiresAt = new Date(Math.min(Date.now() + GUEST_LINK_DAYS * 86_400_000, params.accessExpiresAt.getTime()));
  return db.transaction(async (tx) => {
    const title = await findArticleTitle(tx, params);
    const [invite] = await tx
      .insert(guestInvites)
      .values({
        teamId: params.teamId,
        articleId: params.articleId,
        role: params.role,
        tokenHash: hashToken(token),
        expiresAt: linkExpiresAt,
        accessExpiresAt: params.accessExpiresAt,
        createdBy: params.createdBy,
      })
      .returning();
    if (!invite) throw new AppError("internal", "The guest link could not be created.");
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.createdBy,
      action: "guest.invite",
      targetType: "article",
      targetId: params.articleId,
      data: { title, role: params.role, inviteId: invite.id, linkExpiresAt: invite.expiresAt.toISOString(), accessExpiresAt: invite.accessExpiresAt.toISOString() },
    });
    return { invite, token };
  });
}

/** A guest link that can still be taken (not taken, not revoked, not expired), with its article and desk; or undefined. */
export async function findLiveGuestInvite(db: DbOrTx, params: { token: string }): Promise<GuestInviteTarget | undefined> {
  const [row] = await db
    .select({
      invite: guestInvites,
      article: { id: articles.id, title: articles.title },
      team: { id: teams.id, slug: teams.slug, name: teams.name },
    })
    .from(guestInvites)
    .innerJoin(articles, and(eq(articles.id, guestInvites.articleId), eq(articles.teamId, guestInvites.teamId)))
    .innerJoin(teams, eq(teams.id, guestInvites.teamId))
    .where(
      and(
        eq(guestInvites.tokenHash, hashToken(params.token)),
        isNull(guestInvites.acceptedAt),
        isNull(guestInvites.revokedAt),
        gt(guestInvites.expiresAt, sql`now()`),
        gt(guestInvites.accessExpiresAt, sql`now()`),
      ),
    );
  return row;
}

/** Where accepting a guest link leads: the article, and the role the user now has on it. */
export interface AcceptedGuestLink {
  article: { id: string; title: string };
  team: { id: string; slug: string; name: string };
  role: Role;
  /** False when the user is a member of the desk: they keep their membership and no guest access is created. */
  guest: boolean;
}

/**
 * Takes a guest link for a user: the link is used up and the user becomes a guest of its article with
 * its role until its access end (replacing an earlier grant on the same article). A member of the desk
 * is simply sent to the article and leaves the link untouched, so an owner trying their own link does
 * not spend it.
 */
export async function acceptGuestInvite(db: Database, params: { token: string; userId: string }): Promise<AcceptedGuestLink> {
  return db.transaction(async (tx) => {
    const live = await findLiveGuestInvite(tx, params);
    if (!live) throw new AppError("not_found", "This guest link is invalid, has expired or was already used.");
    const memberRole = await getRole(tx, { teamId: live.team.id, userId: params.userId });
    if (memberRole) return { article: live.article, team: live.team, role: memberRole, guest: false };
    // Taking the link is one conditional update, so two people racing for it cannot both win.
    const [taken] = await tx
      .update(guestInvites)
      .set({ acceptedAt: sql`now()`, acceptedBy: params.userId })
      .where(and(eq(guestInvites.id, live.invite.id), isNull(guestInvites.acceptedAt), isNull(guestInvites.revokedAt)))
      .returning({ id: guestInvites.id });
    if (!taken) throw new AppError("not_found", "This guest link is invalid, has expired or was already used.");
    const grant = { role: live.invite.role, expiresAt: live.invite.accessExpiresAt, invitedBy: live.invite.createdBy };
    await tx
      .insert(articleGuests)
      .values({ articleId: live.article.id, userId: params.userId, teamId: live.team.id, ...grant })
      .onConflictDoUpdate({ target: [articleGuests.articleId, articleGuests.userId], set: grant });
    await recordAudit(tx, {
      teamId: live.team.id,
      actorId: params.userId,
      action: "guest.accept",
      targetType: "article",
      targetId: live.article.id,
      data: { title: live.article.title, role: live.invite.role, inviteId: live.invite.id, expiresAt: live.invite.accessExpiresAt.toISOString() },
    });
    return { article: live.article, team: live.team, role: live.invite.role, guest: true };
  });
}

/** A guest of an article as its owners see them; `expiresAt` may lie in the past (access over, row kept until revoked). */
export interface ArticleGuestRow {
  userId: string;
  name: string;
  email: string;
  role: GuestRole;
  expiresAt: Date;
  createdAt: Date;
}

/** The guests of an article and its guest links nobody has taken yet, within one desk. */
export async function listGuests(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<{ guests: ArticleGuestRow[]; invites: GuestInvite[] }> {
  const [guests, invites] = await Promise.all([
    db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: articleGuests.role,
        expiresAt: articleGuests.expiresAt,
        createdAt: articleGuests.createdAt,
      })
      .from(articleGuests)
      .innerJoin(users, eq(users.id, articleGuests.userId))
      .where(and(eq(articleGuests.teamId, params.teamId), eq(articleGuests.articleId, params.articleId)))
      .orderBy(asc(users.name)),
    db
      .select()
      .from(guestInvites)
      .where(
        and(
          eq(guestInvites.teamId, params.teamId),
          eq(guestInvites.articleId, params.articleId),
          isNull(guestInvites.acceptedAt),
          isNull(guestInvites.revokedAt),
          gt(guestInvites.expiresAt, sql`now()`),
        ),
      )
      .orderBy(desc(guestInvites.createdAt)),
  ]);
  return { guests: guests.map((g) => ({ ...g, role: asGuestRole(g.role) })), invites };
}

/** Ends a guest's access to an article at once (their open connections close within the access check). */
export async function revokeGuest(db: Database, params: { teamId: string; articleId: string; userId: string; actorId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const title = await findArticleTitle(tx, params);
    const [removed] = await tx
      .delete(articleGuests)
      .where(and(eq(articleGuests.teamId, params.teamId), eq(articleGuests.articleId, params.articleId), eq(articleGuests.userId, params.userId)))
      .returning({ role: articleGuests.role });
    if (!removed) throw new AppError("not_found", "That person is not a guest of this article.");
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.actorId,
      action: "guest.revoke",
      targetType: "user",
      targetId: params.userId,
      data: { articleId: params.articleId, title, role: removed.role },
    });
  });
}

/** Revokes a guest link nobody has taken yet. */
export async function revokeGuestInvite(db: Database, params: { teamId: string; articleId: string; inviteId: string; actorId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const title = await findArticleTitle(tx, params);
    const [revoked] = await tx
      .update(guestInvites)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(guestInvites.teamId, params.teamId),
          eq(guestInvites.articleId, params.articleId),
          eq(guestInvites.id, params.inviteId),
          isNull(guestInvites.acceptedAt),
          isNull(guestInvites.revokedAt),
        ),
      )
      .returning({ role: guestInvites.role });
    if (!revoked) throw new AppError("not_found", "No such guest link.");
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.actorId,
      action: "guest.revoke",
      targetType: "article",
      targetId: params.articleId,
      data: { link: true, inviteId: params.inviteId, title, role: revoked.role },
    });
  });
}

/** An article shared with a user as a guest. */
export interface SharedArticle {
  articleId: string;
  title: string;
  team: { slug: string; name: string };
  role: GuestRole;
  expiresAt: Date;
}

/**
 * The articles a user is a guest of right now, soonest-ending first. Desks the user has since joined
 * are left out: those articles are theirs as a member.
 */
export async function listSharedArticles(db: DbOrTx, params: { userId: string }): Promise<SharedArticle[]> {
  const rows = await db
    .select({
      articleId: articles.id,
      title: articles.title,
      team: { slug: teams.slug, name: teams.name },
      role: articleGuests.role,
      expiresAt: articleGuests.expiresAt,
    })
    .from(articleGuests)
    .innerJoin(articles, and(eq(articles.id, articleGuests.articleId), eq(articles.teamId, articleGuests.teamId)))
    .innerJoin(teams, eq(teams.id, articleGuests.teamId))
    .leftJoin(memberships, and(eq(memberships.teamId, articleGuests.teamId), eq(memberships.userId, articleGuests.userId)))
    .where(and(eq(articleGuests.userId, params.userId), gt(articleGuests.expiresAt, sql`now()`), isNull(memberships.userId)))
    .orderBy(asc(articleGuests.expiresAt));
  return rows.map((r) => ({ ...r, role: asGuestRole(r.role) }));
}

/** Someone who has worked on an article, with the role they hold on it now. */
export interface ArticlePerson {
  userId: string;
  name: string;
  role: Role;
}

/**
 * The people who have written to an article (its update log) and still have access to it, with their
 * current role: the names a guest may see next to the threads, instead of the desk's member list.
 */
export async function listArticlePeople(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<ArticlePerson[]> {
  const writers = db.selectDistinct({ userId: docUpdates.userId }).from(docUpdates).where(eq(docUpdates.articleId, params.articleId));
  const rows = await db
    .select({ userId: users.id, name: users.name, memberRole: memberships.role, guestRole: articleGuests.role })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.teamId, params.teamId), eq(memberships.userId, users.id)))
    .leftJoin(
      articleGuests,
      and(
        eq(articleGuests.teamId, params.teamId),
        eq(articleGuests.articleId, params.articleId),
        eq(articleGuests.userId, users.id),
        gt(articleGuests.expiresAt, sql`now()`),
      ),
    )
    .where(inArray(users.id, writers))
    .orderBy(asc(users.name));
  return rows.flatMap((r) => {
    const role = r.memberRole ?? r.guestRole;
    return role ? [{ userId: r.userId, name: r.name, role }] : [];
  });
}
