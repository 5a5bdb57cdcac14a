/** What the infrastructure functions log through; a pino logger fits. */
export type InfraLogger = {
  info(o: unknown, msg?: string): void;
  warn?(o: unknown, msg?: string): void;
  error?(o: unknown, msg?: string): void;
};

export function warn(logger: InfraLogger | undefined, o: unknown, msg: string): void {
  if (!logger) return;
  if (logger.warn) logger.warn(o, msg);
  else logger.info(o, msg);
}

export function logError(logger: InfraLogger | undefined, o: unknown, msg: string): void {
  if (!logger) return;
  if (logger.error) logger.error(o, msg);
  else warn(logger, o, msg);
}
