"use client";

import { useState } from "react";
import { LIMITS } from "@/model/limits";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/**
 * Changes the password. The server ends every other session and hands this browser a new session
 * cookie, so the person stays signed in here.
 */
export function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const { busy, error, setError, run } = useAction();
  const [done, setDone] = useState(false);

  if (!hasPassword) {
    return <p className="muted">You sign in through an external provider, so there is no Factdesk password to change.</p>;
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setDone(false);
    if (data.get("newPassword") !== data.get("confirmPassword")) {
      setError("The new password and its confirmation differ.");
      return;
    }
    void run(async () => {
      await apiFetch("/api/account/password", { body: { currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") } });
      form.reset();
      setDone(true);
    });
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Change password">
      <ErrorAlert message={error} />
      {done && (
        <p className="notice" role="status">
          Your password has been changed. Every other session has been signed out; this one stays signed in.
        </p>
      )}
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required maxLength={LIMITS.passwordMaxChars} />
      </label>
      <label>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={LIMITS.passwordMinChars} maxLength={LIMITS.passwordMaxChars} />
      </label>
      <label>
        Confirm new password
        <input name="confirmPassword" type="password" autoComplete="new-password" required minLength={LIMITS.passwordMinChars} maxLength={LIMITS.passwordMaxChars} />
      </label>
      <div>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
