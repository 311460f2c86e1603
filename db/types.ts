/** The one database seam: a server PostgreSQL (pg.Pool) and embedded PGlite both satisfy it. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface Db extends Queryable {
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back and rethrows on error. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** 'postgres' for a server, 'pglite' for the embedded database. */
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
