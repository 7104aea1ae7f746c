import type { Role } from "@/model/roles";

/** Who is on the other end of a connection, as verified from the ticket and the database. */
export interface Identity {
  userId: string;
  name: string;
  role: Role;
  colour: string;
}

/** What every client sees of a person in awareness; only the server writes it. */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  role: Role;
  readOnly: boolean;
}
