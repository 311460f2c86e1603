/** A setting is missing or wrong: the process stops at start with this message, naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
