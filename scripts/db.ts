import { getDb } from "@/db/client";
import { seedDemoDesk } from "@/db/seed/demo-desk";
import { prepareRuntime } from "@/lib/runtime";

// `npm run db:migrate` and `npm run db:seed`. Migrations run inside prepareRuntime; seeding a real
// PostgreSQL happens only here, on request, so a production desk never gets demo users.
const command = process.argv[2];
const runtime = await prepareRuntime({ seedEmbedded: false });
try {
  if (command === "seed") {
    const created = await seedDemoDesk(getDb());
    console.log(created ? "Seeded the Demo Desk." : "The Demo Desk already exists.");
  } else if (command === "migrate") {
    console.log("Migrations are applied.");
  } else {
    console.error("usage: scripts/db.ts migrate|seed");
    process.exitCode = 2;
  }
} finally {
  await runtime.stop();
}
