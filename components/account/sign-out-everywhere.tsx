"use client";

import { useRouter } from "next/navigation";
import { clearOfflineCache } from "../offline/offline-shell";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/** Ends every session of the account, this one included, then goes to the sign-in page. */
export function SignOutEverywhere() {
  const router = useRouter();
  const { busy, error, run } = useAction();

  const signOut = () =>
    void run(async () => {
      await apiFetch("/api/account/sign-out-everywhere", { method: "POST" });
      await clearOfflineCache();
      router.replace("/signin");
      // The header and every cached page still show the signed-in person until the server renders them again.
      router.refresh();
    }, { keepBusy: true });

  return (
    <div className="stack">
      <p className="muted" style={{ margin: 0 }}>
        Signs you out on every browser and device, this one included, and closes the articles open there. Your API tokens keep working until you revoke them below.
      </p>
      <ErrorAlert message={error} />
      <div>
        <button type="button" className="danger" onClick={signOut} disabled={busy}>
          Sign out everywhere
        </button>
      </div>
    </div>
  );
}
