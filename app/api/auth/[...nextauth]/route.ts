import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so that they read the environment prepared by server/main.ts.
async function handler(req: NextRequest, ctx: Context): Promise<Response> {
  return NextAuth(req, { params: await ctx.params }, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
