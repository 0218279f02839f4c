/** What a matcher knows beyond the tool itself. */
export interface MatchContext {
  /** Names of the other tools the model sees (same server and known others); a duplicate of the tool's own name stays in. */
  others: string[];
}
