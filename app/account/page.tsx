import type { Metadata } from "next";
import { ApiTokenPanel } from "@/components/account/api-token-panel";
import { PasswordForm } from "@/components/account/password-form";
import { SignOutEverywhere } from "@/components/account/sign-out-everywhere";
import { getDb } from "@/db/client";
import { listApiTokens } from "@/db/queries/api-tokens";
import { API_TOKEN_MAX_DAYS, apiTokenView } from "@/model/schemas/account";
import { requirePageUser } from "../_lib/page-access";

export const metadata: Metadata = { title: "Your account" };

const DAY_MS = 86_400_000;
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The signed-in person's own settings: their password, their sessions and their API tokens. */
export default async function AccountPage() {
  const user = await requirePageUser("/account");
  const now = new Date();
  const tokens = (await listApiTokens(getDb(), { userId: user.id })).map((t) => apiTokenView(t, now));
  return (
    <main className="stack">
      <div className="page-head">
        <div>
          <h1>Your account</h1>
          <p>
            Signed in as {user.name} ({user.email}).
          </p>
        </div>
      </div>
      <section className="card stack" aria-labelledby="account-password">
        <h2 id="account-password" style={{ margin: 0, fontSize: 17 }}>
          Password
        </h2>
        <PasswordForm hasPassword={user.passwordHash !== null} />
      </section>
      <section className="card stack" aria-labelledby="account-sessions">
        <h2 id="account-sessions" style={{ margin: 0, fontSize: 17 }}>
          Sessions
        </h2>
        <SignOutEverywhere />
      </section>
      <section className="card stack" aria-labelledby="account-tokens">
        <h2 id="account-tokens" style={{ margin: 0, fontSize: 17 }}>
          API tokens
        </h2>
        <ApiTokenPanel tokens={tokens} defaultExpiry={day(now.getTime() + 30 * DAY_MS)} today={day(now.getTime())} lastDay={day(now.getTime() + (API_TOKEN_MAX_DAYS - 1) * DAY_MS)} />
      </section>
    </main>
  );
}
