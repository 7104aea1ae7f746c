"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { apiFetch } from "./api-client";
import { ErrorAlert } from "./error-alert";
import { useAction } from "./use-action";

/** What the two accept routes answer: the desk joined, or the article a guest link opens. */
interface Accepted {
  team?: { slug: string };
  article?: { path: string };
}

/**
 * Takes an invite link (a desk's or a guest link) for the signed-in user, then opens what it gave
 * access to: the desk, or the one article.
 */
export function AcceptLinkButton({ acceptUrl, label }: { acceptUrl: string; label: string }) {
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
          void run(
            async () => {
              const accepted = await apiFetch<Accepted>(acceptUrl, { method: "POST" });
              router.push(accepted.article?.path ?? `/desks/${accepted.team?.slug ?? ""}`);
            },
            { keepBusy: true },
          )
        }
      >
        {label}
      </button>
    </div>
  );
}

/** For a signed-out visitor of a link page: create an account or sign in, then come back to `here`. */
export function SignInToAccept({ here }: { here: string }) {
  return (
    <div className="row">
      <Link className="button primary" href={`/signup?callbackUrl=${encodeURIComponent(here)}`}>
        Create an account
      </Link>
      <Link className="button" href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>
        Sign in
      </Link>
    </div>
  );
}
