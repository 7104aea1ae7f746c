import type { Metadata } from "next";
import { ImportArticleForm } from "@/components/articles/import-form";
import { DeskHeader } from "@/components/desks/desk-header";
import { requirePageTeam } from "../../../_lib/page-access";

export const metadata: Metadata = { title: "Import article" };

export default async function ImportPage({ params }: { params: Promise<{ team: string }> }) {
  const { team: slug } = await params;
  const { team, role } = await requirePageTeam(slug, "article:import", `/desks/${slug}/import`);
  return (
    <main>
      <DeskHeader team={team} role={role} current="import" />
      <h2>Import an article</h2>
      <ImportArticleForm teamSlug={team.slug} />
    </main>
  );
}
