import type { Role } from "@/model/roles";

/** Who is on the other end of a connection, as verified from the ticket and the database. */
export interface Identity {
  userId: string;
  name: string;
  role: Role;
  colour: string;
  /** True for a guest of this one article rather than a member of its desk. */
  guest?: boolean;
  /** The user's session version when the ticket was minted from a browser session; a newer one in the database ends the connection. */
  sessionVersion?: number;
  /** Set for a ticket minted with an API token that lacks the write scope: the connection may read only. */
  readOnly?: boolean;
  /** The API token the ticket was minted with; revoking or expiry of the token ends the connection. */
  tokenId?: string;
}

/** What every client sees of a person in awareness; only the server writes it. */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  role: Role;
  readOnly: boolean;
  /** A guest of this one article, not a member of its desk. */
  guest: boolean;
}
