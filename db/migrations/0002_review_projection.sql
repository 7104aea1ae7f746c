CREATE TABLE "review_evidence" (
	"article_id" uuid NOT NULL,
	"thread_id" text NOT NULL,
	"evidence_id" text NOT NULL,
	"team_id" uuid NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
	"publisher" text NOT NULL,
	"stance" text NOT NULL,
	"note" text NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_evidence_article_id_evidence_id_pk" PRIMARY KEY("article_id","evidence_id")
);
--> statement-breakpoint
CREATE TABLE "review_threads" (
	"article_id" uuid NOT NULL,
	"thread_id" text NOT NULL,
	"team_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quote" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"resolved" boolean NOT NULL,
	"message_count" integer NOT NULL,
	"claimant" text,
	"appeared_in" text,
	"appeared_on" text,
	"state" text,
	"verdict" text,
	"verdict_by" uuid,
	"assignee_id" uuid,
	"rationale" text,
	"updated_at" timestamp with time zone,
	CONSTRAINT "review_threads_article_id_thread_id_pk" PRIMARY KEY("article_id","thread_id")
);
--> statement-breakpoint
ALTER TABLE "review_evidence" ADD CONSTRAINT "review_evidence_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_evidence" ADD CONSTRAINT "review_evidence_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_threads" ADD CONSTRAINT "review_threads_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_threads" ADD CONSTRAINT "review_threads_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_evidence_thread_idx" ON "review_evidence" USING btree ("article_id","thread_id");--> statement-breakpoint
CREATE INDEX "review_threads_team_idx" ON "review_threads" USING btree ("team_id","kind");