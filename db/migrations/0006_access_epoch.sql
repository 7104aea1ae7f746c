CREATE TABLE "access_epoch" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"epoch" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "access_epoch_one_row" CHECK ("access_epoch"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "access_epoch" ("id", "epoch") VALUES (1, 0);
--> statement-breakpoint
-- Bumped by every change to who may open which article (see db/schema/access.ts). The triggers are
-- deferred to the commit: the single row is then locked only while the changing transaction commits,
-- never while it waits for other locks, so two such transactions cannot deadlock over it.
CREATE FUNCTION "bump_access_epoch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "access_epoch" SET "epoch" = "epoch" + 1 WHERE "id" = 1;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "memberships_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "memberships" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_access_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "article_guests_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "article_guests" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_access_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "api_tokens_access_epoch" AFTER UPDATE OF "user_id", "revoked_at", "expires_at" OR DELETE ON "api_tokens" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_access_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "users_access_epoch" AFTER UPDATE OF "session_version" OR DELETE ON "users" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_access_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "articles_access_epoch" AFTER UPDATE OF "team_id" OR DELETE ON "articles" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_access_epoch"();
