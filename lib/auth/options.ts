import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { getDb } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { findOrCreateExternalUser, findUserById } from "@/db/queries/users";
import { authSecret, env } from "../env";
import { isAppError } from "../errors";
import { forwardedAddress } from "../rate-limits";
import { secureCookies } from "./cookies";
import { verifyCredentials } from "./credentials";
import { SESSION_MAX_AGE_SECONDS, sessionCookieName, sessionCookieOptions } from "./session-cookie";

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  picture?: string;
}

/** The external sign-in providers switched on by environment variables, for the sign-in page. */
export function externalProviders(): { id: string; name: string }[] {
  const e = env();
  const list: { id: string; name: string }[] = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) list.push({ id: "oidc", name: e.OIDC_NAME });
  return list;
}

/** next-auth's configuration: email and password always, GitHub and OIDC when configured. */
export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const user = await verifyCredentials(getDb(), {
            email: credentials?.email,
            password: credentials?.password,
            ip: forwardedAddress(req.headers?.["x-forwarded-for"]),
          });
          return user ? { id: user.id, email: user.email, name: user.name, image: user.image } : null;
        } catch (error) {
          // next-auth passes a thrown message on to the sign-in form.
          if (isAppError(error)) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    const oidc: OAuthConfig<OidcProfile> = {
      id: "oidc",
      name: e.OIDC_NAME,
      type: "oauth",
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      profile: (p) => ({ id: p.sub, name: p.name ?? p.preferred_username ?? p.email ?? p.sub, email: p.email, image: p.picture }),
    };
    providers.push(oidc);
  }

  return {
    providers,
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // next-auth's default cookies are HttpOnly and SameSite=Lax; Secure is stated here rather than left
    // to next-auth's own reading of NEXTAUTH_URL, so it is the same decision session.ts reads cookies by.
    useSecureCookies: secureCookies(),
    // The session cookie is named and shaped in one place, which the password change re-issues it by.
    cookies: { sessionToken: { name: sessionCookieName(), options: sessionCookieOptions() } },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      signIn({ account, profile, user }) {
        if (!account || account.type === "credentials") return true;
        // An external account is matched to a user by email, so the email must be present and, where
        // the provider says so, verified.
        const verified = (profile as OidcProfile | undefined)?.email_verified;
        return Boolean(user.email) && verified !== false;
      },
      async jwt({ token, user, account }) {
        if (!user || !account) return token;
        const db = getDb();
        const dbUser =
          account.type === "credentials"
            ? await findUserById(db, { id: user.id })
            : await findOrCreateExternalUser(db, {
                provider: account.provider,
                providerAccountId: account.providerAccountId,
                email: user.email ?? "",
                name: user.name ?? user.email ?? "New user",
                image: user.image,
              });
        if (!dbUser) return token;
        await recordAudit(db, { teamId: null, actorId: dbUser.id, action: "auth.sign_in", data: { provider: account.provider } });
        return { ...token, sub: dbUser.id, uid: dbUser.id, sv: dbUser.sessionVersion, name: dbUser.name, email: dbUser.email };
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") Object.assign(session.user, { id: token.uid });
        return session;
      },
    },
  };
}
