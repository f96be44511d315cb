/**
 * LIKE patterns for literal user text, portable across SQLite and MySQL: `!` is the escape
 * character (SQLite has no default escape, MySQL's is a backslash), so every pattern built
 * here must be used with `LIKE_ESCAPE` after it: `col LIKE :p ${LIKE_ESCAPE}`.
 */
export const LIKE_ESCAPE = "ESCAPE '!'";

export function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => '!' + c);
}

/** Case-insensitive "contains" pattern (compare against a lower-cased column). */
export function likeContains(s: string): string {
  return `%${likeEscape(s.toLowerCase())}%`;
}

/** "starts with" pattern. */
export function likePrefix(s: string): string {
  return `${likeEscape(s)}%`;
}
