import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { OfflineShell } from "@/components/offline/offline-shell";
import { Avatar } from "@/components/ui/avatar";
import { currentUser } from "@/lib/auth/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Factdesk", template: "%s · Factdesk" },
  description: "Live, collaborative fact-checking for news desks.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <header className="topbar">
          <Link className="brand" href={user ? "/desks" : "/"}>
            Fact<span>desk</span>
          </Link>
          <nav aria-label="Main">{user && <Link href="/desks">Desks</Link>}</nav>
          {user ? (
            <div className="user-menu">
              <Avatar id={user.id} name={user.name} />
              <span data-testid="current-user">{user.name}</span>
              <Link href="/account">Account</Link>
              <SignOutButton />
            </div>
          ) : (
            <div className="user-menu">
              <Link href="/signin">Sign in</Link>
            </div>
          )}
        </header>
        <div id="content">{children}</div>
        {user && <OfflineShell />}
      </body>
    </html>
  );
}
