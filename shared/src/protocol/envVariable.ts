/** The name of the env variable the extension writes and references. */
export const ENV_TOKEN_NAME = 'C2M_ACCESS_TOKEN';
