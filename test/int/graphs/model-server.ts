/** A local server speaking a chat provider's wire format: every POST answered by `respond(body)`, every request remembered. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }

/** A plain object (or a promise of one) is sent as a 200 JSON body; `{ status, body }` with a `status` sends that status. */
export type Respond = (body: Record<string, unknown>) => unknown;

export interface ModelServer { url: string; seen: Seen[]; close(): Promise<void> }

export async function startModelServer(respond: Respond): Promise<ModelServer> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => { raw += chunk.toString('utf8'); });
    req.on('end', async () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const answer: unknown = await respond(body);
      const withStatus = typeof answer === 'object' && answer !== null && 'status' in answer && typeof answer.status === 'number'
        ? answer as { status: number; body: unknown }
        : { status: 200, body: answer };
      res.writeHead(withStatus.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(withStatus.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

/** The system prompt and every message's content, as one text. */
export function promptText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof body.system === 'string') parts.push(body.system);
  if (Array.isArray(body.system)) parts.push(JSON.stringify(body.system));
  for (const m of (body.messages as { content: unknown }[] | undefined) ?? []) {
    parts.push(typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
  }
  return parts.join('\n');
}
