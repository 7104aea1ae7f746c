"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { LIMITS } from "@/model/limits";
import { apiFetch } from "../ui/api-client";

/** Creates a desk and opens its dashboard. */
export function CreateDeskForm() {
  const router = useRouter();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get("name");
    setBusy(true);
    setError("");
    try {
      const { team } = await apiFetch<{ team: { slug: string } }>("/api/teams", { body: { name } });
      router.push(`/desks/${team.slug}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-label="Create a desk">
      <h2 style={{ margin: 0, fontSize: 17 }}>Create a desk</h2>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <input name="name" placeholder="Desk name, e.g. Election Desk" aria-label="Desk name" required maxLength={LIMITS.teamNameChars} style={{ flex: 1, width: "auto" }} />
        <button className="primary" type="submit" disabled={busy}>
          Create desk
        </button>
      </div>
    </form>
  );
}
