import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as publishRoute } from "@/app/api/articles/[id]/publications/route";
import { POST as unpublishRoute } from "@/app/api/articles/[id]/unpublish/route";
import { approveClaim, createThread, updateClaim } from "@/model/review";
import { PUBLICATION_CHANGED_MESSAGE } from "@/model/rooms";
import { call, createDesk, type Handler, type TestDesk } from "../../support/api";
import { connectClient, destroyAll, eventually, freePort, startCollab, startCollabProcess, type CollabHarness, type TestClient } from "../../support/collab";
import { useTestApp } from "../../support/test-database";
import { startSession } from "../publishing-support";

// Publishing is an HTTP action; the people who have the article open learn of it from their
// collaboration server, whichever process that is, and read the publication again.

const app = useTestApp();
const TEXT = "The minister said unemployment fell by 40 percent last year.";
const CLAIM = "unemployment fell by 40 percent last year";

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Notice Desk");
  server = await startCollab({ db: app.db });
});

afterAll(async () => {
  await server?.close();
});

/** An article with one approved claim, ready to publish. */
async function publishable(title: string): Promise<{ articleId: string; claimId: string }> {
  const { checker, editor } = desk.users;
  const s = await startSession(app, { teamId: desk.team.id, createdBy: editor.id, title, text: TEXT });
  let claimId = "";
  await s.as(checker, "review", (doc) => {
    claimId = createThread(doc, { kind: "claim", anchor: s.anchor(CLAIM), by: checker.id });
  });
  await s.as(checker, "review", (doc) => updateClaim(doc, claimId, { by: checker.id, patch: { verdict: "false", rationale: "Official figures.", state: "in_review" } }));
  await s.as(editor, "review", (doc) => approveClaim(doc, claimId, { by: editor.id }));
  return { articleId: s.article.id, claimId };
}

/** A reader of the article's body room that counts the server's publication notices. */
async function reader(serverUrl: string, articleId: string): Promise<{ client: TestClient; notices: () => number }> {
  const client = await connectClient({ serverUrl, articleId, user: desk.users.viewer });
  let notices = 0;
  client.provider.messageHandlers[PUBLICATION_CHANGED_MESSAGE] = () => void notices++;
  return { client, notices: () => notices };
}

describe("a publication notice", () => {
  it("reaches everyone who has the article open when it is published and unpublished", async () => {
    const { articleId, claimId } = await publishable("Published while open");
    const { client, notices } = await reader(server.serverUrl, articleId);
    try {
      const published = await call(publishRoute as Handler, { as: desk.users.editor, params: { id: articleId }, json: { claimIds: [claimId] } });
      expect(published.status).toBe(201);
      await eventually(() => expect(notices()).toBe(1));
      const unpublished = await call(unpublishRoute as Handler, { as: desk.users.editor, params: { id: articleId }, json: { reason: "Checking again." } });
      expect(unpublished.status).toBe(200);
      await eventually(() => expect(notices()).toBe(2));
    } finally {
      destroyAll(client);
    }
  });

  // The embedded database belongs to one process, so only PostgreSQL has other processes to tell.
  if (process.env.TEST_DB_KIND === "postgres") {
    it("reaches the readers of a separate collaboration process (LISTEN/NOTIFY)", async () => {
      const { articleId, claimId } = await publishable("Published elsewhere");
      const proc = await startCollabProcess({ databaseUrl: app.url, secret: app.secret, port: await freePort(), embedded: false });
      let client: TestClient | undefined;
      try {
        const open = await reader(proc.serverUrl, articleId);
        client = open.client;
        expect((await call(publishRoute as Handler, { as: desk.users.editor, params: { id: articleId }, json: { claimIds: [claimId] } })).status).toBe(201);
        await eventually(() => expect(open.notices()).toBe(1));
      } finally {
        destroyAll(client);
        await proc.stop("SIGTERM");
      }
    }, 120_000);
  }
});
