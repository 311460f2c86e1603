/**
 * A local stand-in for Meta's Graph API, speaking its shapes: `POST /v21.0/<phone number id>/messages`
 * answers like the WhatsApp Cloud API, `POST /v21.0/<page id>/messages` like Messenger's Send API. Records
 * every request with its headers and JSON body; a request without the expected bearer token gets Graph's
 * OAuth error, as the real one would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphRequest {
  path: string;
  authorization: string | undefined;
  body: any;
}

export interface GraphServer {
  /** GRAPH_API_BASE_URL for the system under test. */
  baseUrl: string;
  requests: GraphRequest[];
  /** The requests to one account (phone number id or page id). */
  to(account: string): GraphRequest[];
  close(): Promise<void>;
}

export async function startGraphServer(o: { accessTokens: Record<string, string> }): Promise<GraphServer> {
  const requests: GraphRequest[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        body = undefined;
      }
      requests.push({ path, authorization: req.headers.authorization, body });
      const reply = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      const match = /^\/v21\.0\/(\d+)\/messages$/.exec(path);
      if (req.method !== 'POST' || !match) return reply(400, { error: { message: 'Unsupported post request.', type: 'GraphMethodException', code: 100, fbtrace_id: 'Atest' } });
      if (req.headers.authorization !== `Bearer ${o.accessTokens[match[1]!]}`) {
        return reply(401, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'Atest' } });
      }
      n += 1;
      if (body?.messaging_product === 'whatsapp') {
        return reply(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.test${n}` }] });
      }
      return reply(200, { recipient_id: body?.recipient?.id, message_id: `m_test${n}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v21.0`,
    requests,
    to: (account) => requests.filter((r) => r.path === `/v21.0/${account}/messages`),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
