"use client";

import { useRouter } from "next/navigation";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/** Joins the desk an invite link offers. */
export function AcceptInviteButton({ token }: { token: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction();
  return (
    <div className="stack">
      <ErrorAlert message={error} />
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const { team } = await apiFetch<{ team: { slug: string } }>(`/api/invites/${encodeURIComponent(token)}/accept`, { method: "POST" });
            router.push(`/desks/${team.slug}`);
          }, { keepBusy: true })
        }
      >
        Join the desk
      </button>
    </div>
  );
}
