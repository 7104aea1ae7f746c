import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { externalProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { safeCallback } from "../_lib/page-access";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <main className="narrow">
      <h1>Sign in to Factdesk</h1>
      <SignInForm callbackUrl={callbackUrl} providers={externalProviders()} initialError={typeof params.error === "string" ? params.error : undefined} />
    </main>
  );
}
