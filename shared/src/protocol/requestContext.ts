// What the destination guard needs to know beyond the documents: file locations, variable names and environment names,
// never a value.

export interface RequestContextParams {
  /** The env files the .env sync writes (file: URIs) and the variable in each; empty when the sync is off. */
  syncTargets: { uri: string; variable: string }[];
  restClient: {
    /**
     * REST Client's selected environment: a name, null for "No Environment", absent when it cannot be read (then the
     * guard considers every environment of `environments` that has a `.env.<name>` of its own).
     */
    environment?: string | null;
    /** The environment names of rest-client.environmentVariables, `$shared` left out. */
    environments: string[];
  };
  /** The integrated terminal gets the active profile's token as C2M_ACCESS_TOKEN (c2m.terminal.injectToken). */
  terminalToken: boolean;
  /** Grows with every send: the server reads the env files again. */
  revision: number;
}
