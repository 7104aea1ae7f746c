import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRevisions } from "@/db/queries/revisions";
import { createDesk, type TestDesk } from "../../support/api";
import { appendParagraph, connectClient, createTextArticle, destroyAll, eventually, startCollab, type CollabHarness, type TestClient } from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;
const IDLE_MS = 600;

beforeAll(async () => {
  desk = await createDesk(app, "Auto Revision Desk");
  server = await startCollab({ db: app.db, revisionIdleMs: IDLE_MS });
});

afterAll(async () => {
  await server?.close();
});

const revisionsOf = async (articleId: string) => (await listRevisions(app.db, { teamId: desk.team.id, articleId, limit: 50 })).reverse();

describe("automatic revisions", () => {
  it("are taken once the desk has been idle after a change, and when the last person leaves, never for nothing", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Opening paragraph." });
    let editor: TestClient | undefined;
    let checker: TestClient | undefined;
    try {
      editor = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor, role: "editor" });
      checker = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.checker, role: "checker" });
      // Opening an article changes nothing, so no revision is taken.
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 2));
      expect(await revisionsOf(article.id)).toEqual([]);

      appendParagraph(editor.doc, "Typed before the pause.");
      await eventually(async () => expect((await revisionsOf(article.id)).map((r) => r.reason)).toEqual(["idle"]));
      const [idle] = await revisionsOf(article.id);
      expect(idle!.kind).toBe("auto");
      expect(idle!.contributorIds).toEqual([desk.users.editor.id]);

      appendParagraph(editor.doc, "Typed before leaving.");
      await eventually(() => expect(checker!.text()).toContain("Typed before leaving."));
      // Everyone leaves well before the idle time is up.
      editor.destroy();
      checker.destroy();
      await eventually(async () => expect((await revisionsOf(article.id)).map((r) => r.reason)).toEqual(["idle", "last-leave"]));
      // The idle timer that the last edit started finds nothing new and adds nothing.
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 2));
      expect((await revisionsOf(article.id)).map((r) => r.reason)).toEqual(["idle", "last-leave"]);
    } finally {
      destroyAll(editor, checker);
    }
  });
});
