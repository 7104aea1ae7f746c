CREATE TABLE "revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"label" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"body_upto" bigint NOT NULL,
	"review_upto" bigint NOT NULL,
	"body_state" "bytea" NOT NULL,
	"review_state" "bytea" NOT NULL,
	"content" jsonb NOT NULL,
	"stats" jsonb NOT NULL,
	"summary" text NOT NULL,
	"contributor_ids" uuid[] DEFAULT '{}' NOT NULL,
	"restored_from_number" integer
);
--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_article_number_key" ON "revisions" USING btree ("article_id","number");