/** What the WhatsApp and Messenger tests share: deploying on a fresh account, and posting signed deliveries as Meta does. */
import { randomBytes, randomInt } from 'node:crypto';
import { expect } from 'vitest';
import { signMetaBody } from '../../../channels/meta/signature.js';
import type { TestSystem } from '../../support/system.js';

/** Digits no other test file uses: accounts are unique across live deployments. */
export function randomDigits(n = 15): string {
  let s = String(randomInt(1, 10));
  while (s.length < n) s += String(randomInt(0, 10));
  return s;
}

export interface MetaDeployment {
  id: string;
  account: string;
  verifyToken: string;
  appSecret: string;
  accessToken: string;
}

export async function deployOnMeta(sys: TestSystem, agentId: string, channel: 'whatsapp' | 'messenger', account = randomDigits()): Promise<MetaDeployment> {
  const settings = {
    verifyToken: `verify-${randomBytes(8).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    accessToken: `EAAG${randomBytes(24).toString('hex')}`,
  };
  const res = await sys.request('POST', `/v1/agents/${agentId}/deployments`, { channel, account, settings });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(JSON.stringify(res.body)).not.toContain(settings.appSecret);
  return { id: res.body.id, account, ...settings };
}

/** POSTs a delivery as Meta does: no API key, the raw body signed with `appSecret` (or the given header). */
export async function postDelivery(sys: TestSystem, channel: 'whatsapp' | 'messenger', payload: unknown, sign: { appSecret: string } | { header?: string }) {
  const raw = JSON.stringify(payload);
  const header = 'appSecret' in sign ? signMetaBody(sign.appSecret, raw) : sign.header;
  const res = await fetch(`${sys.url}/v1/channels/${channel}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close', ...(header ? { 'x-hub-signature-256': header } : {}) },
    body: raw,
  });
  return { status: res.status, text: await res.text() };
}

export async function handshake(sys: TestSystem, channel: 'whatsapp' | 'messenger', params: Record<string, string>) {
  const res = await fetch(`${sys.url}/v1/channels/${channel}/webhook?${new URLSearchParams(params)}`, { headers: { connection: 'close' } });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

export async function transcriptOf(sys: TestSystem, agentId: string, conversationId: string) {
  const res = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversationId}`);
  return res.status === 200 ? (res.body.transcript as Array<Record<string, any>>) : [];
}
