import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { findPeopleNames } from "@/db/queries/revisions";
import { colourFor } from "@/model/person-colour";
import type { Person } from "@/model/revisions";

const uuid = z.uuid();

/** Shown for an id that names no account (one since deleted). */
export const UNKNOWN_PERSON_NAME = "Unknown person";

/** The people behind some user ids, keyed by id; nulls (the server) and non-ids are skipped. */
export async function peopleByIds(db: DbOrTx, ids: Iterable<string | null | undefined>): Promise<Map<string, Person>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === "string" && uuid.safeParse(id).success))];
  const names = new Map((await findPeopleNames(db, { ids: wanted })).map((p) => [p.id, p.name]));
  return new Map(wanted.map((id) => [id, { id, name: names.get(id) ?? UNKNOWN_PERSON_NAME, colour: colourFor(id) }]));
}

/** The people for `ids` in a stable order (by name, then id). */
export function peopleList(people: Map<string, Person>, ids: Iterable<string | null | undefined>): Person[] {
  const seen = new Set<string>();
  const out: Person[] = [];
  for (const id of ids) {
    const person = id ? people.get(id) : undefined;
    if (person && !seen.has(person.id)) {
      seen.add(person.id);
      out.push(person);
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
