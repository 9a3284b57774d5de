/**
 * Outcome codes shared by the server-name parsers ({@link parseClientHelloSni},
 * {@link parseHttpHost}). Plain numbers, so the per-packet path allocates nothing to say "no".
 */
export const NameParse = {
  /** A name was found. */
  Found: 0,
  /** The message is complete enough to tell that it carries no name. */
  NoName: 1,
  /** The bytes so far are a valid prefix but stop before the name: feed more of the flow. */
  NeedMore: 2,
  /** The bytes are not this protocol at all (not a TLS handshake, not an HTTP request). */
  NotThisProtocol: 3,
  /** The bytes claim to be this protocol but break its rules (bad lengths, bad characters). */
  Malformed: 4,
} as const;
/** One of the {@link NameParse} values. */
export type NameParse = (typeof NameParse)[keyof typeof NameParse];

/** What a server-name parser found. `name` is set only for {@link NameParse.Found}. */
export interface NameParseResult {
  status: NameParse;
  /** The server name, lower-cased, without a trailing dot or port. */
  name?: string;
}

/** Longest DNS name (RFC 1035): longer server names are malformed. */
export const MAX_NAME_LENGTH = 253;
