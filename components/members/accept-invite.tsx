"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "../ui/api-client";

/** Joins the desk an invite link offers. */
export function AcceptInviteButton({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState("");
  return (
    <div className="stack">
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="primary"
        onClick={() =>
          void apiFetch<{ team: { slug: string } }>(`/api/invites/${encodeURIComponent(token)}/accept`, { method: "POST" })
            .then(({ team }) => router.push(`/desks/${team.slug}`))
            .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
        }
      >
        Join the desk
      </button>
    </div>
  );
}
