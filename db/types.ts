/** The one database seam: a server PostgreSQL (pg.Pool) and embedded PGlite both satisfy it. */
export interface Queryable {
  /** `text` may be a prepared statement (db/prepared.ts): parsed and planned once per connection. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string | PreparedStatement,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface PreparedStatement {
  /** Unique per text: pg refuses one name for two texts on a connection. */
  name: string;
  text: string;
}

export interface Db extends Queryable {
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back and rethrows on error. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** 'postgres' for a server, 'pglite' for the embedded database. */
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
