"use client";

import { signOut } from "next-auth/react";
import { clearOfflineCache } from "../offline/offline-shell";

/** Ends the session and returns to the sign-in page. */
export function SignOutButton() {
  return (
    <button type="button" className="linkish" onClick={() => void clearOfflineCache().finally(() => signOut({ callbackUrl: "/signin" }))}>
      Sign out
    </button>
  );
}
