"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { LIMITS } from "@/model/limits";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/** Creates an account, then signs straight in. */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { name: form.get("name"), email: form.get("email"), password: form.get("password") };
    void run(async () => {
      await apiFetch("/api/signup", { body });
      const result = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      if (!result || result.error) throw new Error("Your account exists, but signing in failed. Try the sign-in page.");
      router.push(callbackUrl);
      router.refresh();
    }, { keepBusy: true });
  }

  return (
    <div className="stack">
      <form className="card stack" onSubmit={onSubmit} aria-label="Create account">
        <ErrorAlert message={error} />
        <label>
          Name
          <input name="name" autoComplete="name" required maxLength={LIMITS.personNameChars} />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password <span className="hint">At least {LIMITS.passwordMinChars} characters.</span>
          <input name="password" type="password" autoComplete="new-password" required minLength={LIMITS.passwordMinChars} maxLength={LIMITS.passwordMaxChars} />
        </label>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p className="muted small">
        Already have an account? <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
      </p>
    </div>
  );
}
