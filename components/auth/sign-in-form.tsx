"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorAlert } from "../ui/error-alert";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That email and password do not match.",
  OAuthAccountNotLinked: "That email is already used by another sign-in method.",
  AccessDenied: "Sign-in was refused.",
};

/** Email and password sign-in, plus any external providers that are switched on. */
export function SignInForm({ callbackUrl, providers, initialError }: { callbackUrl: string; providers: { id: string; name: string }[]; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? (ERRORS[initialError] ?? initialError) : "");
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError("");
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setBusy(false);
    if (!result || result.error) {
      setError(result?.error ? (ERRORS[result.error] ?? result.error) : "Sign-in failed.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <div className="stack">
      <form className="card stack" onSubmit={onSubmit} aria-label="Sign in">
        <ErrorAlert message={error} />
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers.map((p) => (
        <button key={p.id} type="button" onClick={() => void signIn(p.id, { callbackUrl })}>
          Continue with {p.name}
        </button>
      ))}
      <p className="muted small">
        New here? <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
      </p>
    </div>
  );
}
