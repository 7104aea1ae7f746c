"use client";

import { useRouter } from "next/navigation";
import { LIMITS } from "@/model/limits";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/** Creates a desk and opens its dashboard. */
export function CreateDeskForm() {
  const router = useRouter();
  const { busy, error, run } = useAction();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get("name");
    void run(async () => {
      const { team } = await apiFetch<{ team: { slug: string } }>("/api/teams", { body: { name } });
      router.push(`/desks/${team.slug}`);
    }, { keepBusy: true });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-label="Create a desk">
      <h2 style={{ margin: 0, fontSize: 17 }}>Create a desk</h2>
      <ErrorAlert message={error} />
      <div className="row">
        <input name="name" placeholder="Desk name, e.g. Election Desk" aria-label="Desk name" required maxLength={LIMITS.teamNameChars} style={{ flex: 1, width: "auto" }} />
        <button className="primary" type="submit" disabled={busy}>
          Create desk
        </button>
      </div>
    </form>
  );
}
