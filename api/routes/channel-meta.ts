/**
 * WhatsApp (Cloud API) and Messenger webhooks: one URL per channel for all its deployments. They carry no
 * API key (app.ts exempts them from authenticate and the rate limit): a GET answers Meta's subscription
 * handshake when the verify token is a live deployment's, and a POST is accepted only when
 * X-Hub-Signature-256 is the HMAC of its raw bytes under the app secret of the deployment each account in
 * it belongs to. Each message is signalled to its conversation (signal-with-start) before the 200, so an
 * acknowledged message is never lost; the reply goes out through outbound delivery. Meta retries until a
 * 2xx, and a retried message keeps its id, which the conversation answers once.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CHANNEL_SETTINGS } from '../../channels/settings.js';
import type { MetaDelivery, MetaInbound } from '../../channels/meta/inbound.js';
import { MetaSettings } from '../../channels/meta/settings.js';
import { META_SIGNATURE_HEADER, verifyMetaSignature } from '../../channels/meta/signature.js';
import { HandshakeQuery, answerHandshake } from '../../channels/meta/verify.js';
import { parseMessengerWebhook } from '../../channels/messenger/parse.js';
import { parseWhatsAppWebhook } from '../../channels/whatsapp/parse.js';
import { deploymentByAccount, deploymentSettings, liveChannelSettings } from '../../db/deployments.js';
import { unsupportedMessageText } from '../../domain/unsupported-message.js';
import type { InboundMessage } from '../../workflows/conversation.contract.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { openApiRouter } from '../openapi.js';
import { ErrorResponse } from '../schemas.js';
import { query } from '../validate.js';

export type MetaChannel = 'whatsapp' | 'messenger';

/** The webhook paths app.ts lets through without an API key: they verify Meta's signature instead. */
export const META_WEBHOOK_PATHS: readonly string[] = ['/v1/channels/whatsapp/webhook', '/v1/channels/messenger/webhook'];

interface ChannelSpec {
  label: string;
  /** Conversation ids are `<prefix>-<deployment>-<customer>`, stable for a contact on a deployment. */
  prefix: string;
  parse(body: unknown): MetaDelivery | undefined;
  address(m: MetaInbound): Record<string, unknown>;
}

const SPECS: Record<MetaChannel, ChannelSpec> = {
  whatsapp: { label: 'WhatsApp', prefix: 'wa', parse: parseWhatsAppWebhook, address: (m) => ({ waId: m.from, sentAt: m.sentAt }) },
  messenger: { label: 'Messenger', prefix: 'fb', parse: parseMessengerWebhook, address: (m) => ({ psid: m.from, sentAt: m.sentAt }) },
};

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });
const text = (description: string) => ({ description, content: { 'text/plain': { schema: z.string() } } });

function routesOf(channel: MetaChannel) {
  const { label } = SPECS[channel];
  const name = channel === 'whatsapp' ? 'WhatsApp' : 'Messenger';
  const verify = createRoute({
    method: 'get', path: '/webhook', operationId: `verify${name}Webhook`, tags: ['channels'], security: [],
    summary: `Meta's subscription handshake for the ${label} webhook: answers hub.challenge when hub.verify_token is a live ${label} deployment's`,
    request: { query: HandshakeQuery },
    responses: {
      200: text('hub.challenge, as given'),
      403: problem(`Not a subscription, or no live ${label} deployment has this verify token (forbidden)`),
      422: problem('hub.mode, hub.verify_token or hub.challenge is missing or invalid (invalid_request)'),
      500: problem('Something went wrong on our side (internal)'),
      503: problem('This server runs without SECRETS_KEY, so it has no deployments (unavailable)'),
    },
  });
  const receive = createRoute({
    method: 'post', path: '/webhook', operationId: `receive${name}Webhook`, tags: ['channels'], security: [],
    summary: `${label} messages from Meta, signed with X-Hub-Signature-256; each is handed to its conversation before the acknowledgement`,
    request: {
      headers: z.object({ [META_SIGNATURE_HEADER]: z.string().openapi({ description: 'sha256=<hex HMAC-SHA256 of the raw body under the app secret>' }) }),
      body: { required: true, content: { 'application/json': { schema: z.looseObject({ object: z.string(), entry: z.array(z.unknown()) }) } } },
    },
    responses: {
      200: text('EVENT_RECEIVED: every message in the delivery is with its conversation'),
      400: problem('The body is not JSON (malformed_json)'),
      401: problem(`The signature is missing, or is not the app secret's of a live ${label} deployment for every account in the delivery (unauthorized)`),
      413: problem('The body is too large (payload_too_large)'),
      500: problem('Something went wrong on our side (internal)'),
      503: problem('Conversations cannot be reached right now, or this server runs without SECRETS_KEY; Meta retries the delivery (unavailable)'),
    },
  });
  return { verify, receive };
}

export function metaWebhookRoutes({ db, secrets, conversations }: ApiDeps, channel: MetaChannel) {
  const spec = SPECS[channel];
  const { verify, receive } = routesOf(channel);
  const refused = () => new ApiError('unauthorized', `the ${META_SIGNATURE_HEADER} signature is missing or does not match a ${spec.label} deployment's app secret`);
  function box() {
    if (!secrets) throw new ApiError('unavailable', 'this API runs without SECRETS_KEY, so it has no deployments: set SECRETS_KEY and restart');
    return secrets;
  }

  return openApiRouter()
    .openapi(verify, async (c) => {
      const q = query(c, HandshakeQuery);
      const tokens = (await liveChannelSettings(db, box(), channel)).flatMap((d) => {
        const s = MetaSettings.safeParse(d.settings);
        return s.success ? [s.data.verifyToken] : [];
      });
      const challenge = answerHandshake(q, tokens);
      if (challenge === undefined) throw new ApiError('forbidden', `hub.mode is not subscribe, or no ${spec.label} deployment has this verify token`);
      return c.text(challenge, 200);
    })
    .openapi(receive, async (c) => {
      // The signature is over the bytes as sent: read them once, verify them, and only then trust the parse.
      const raw = new Uint8Array(await c.req.arrayBuffer());
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder().decode(raw));
      } catch (err) {
        throw new ApiError('malformed_json', `the body is not valid JSON: ${(err as Error).message}`);
      }
      const delivery = spec.parse(body);
      if (!delivery || delivery.accounts.length === 0) throw refused();
      const signature = c.req.header(META_SIGNATURE_HEADER);
      const deployments = new Map<string, { id: string; agentId: string }>();
      for (const account of delivery.accounts) {
        const d = await deploymentByAccount(db, box(), channel, account);
        if (!d) continue;
        const settings = CHANNEL_SETTINGS[channel].schema.safeParse(await deploymentSettings(db, box(), d.id));
        // Every deployment named must have signed it: one app's delivery cannot speak for another's accounts.
        if (!settings.success || !verifyMetaSignature(raw, signature, (settings.data as MetaSettings).appSecret)) throw refused();
        deployments.set(account, { id: d.id, agentId: d.agentId });
      }
      // Not one account is deployed here: the same answer as a bad signature, so it tells nobody which accounts are.
      if (deployments.size === 0) throw refused();

      for (const m of delivery.messages) {
        const d = deployments.get(m.account);
        if (!d) continue;
        const message: InboundMessage = {
          messageId: m.messageId,
          text: m.content.kind === 'text' ? m.content.text : unsupportedMessageText(m.content.type),
          channel,
          customer: { id: m.from, ...(m.name ? { name: m.name } : {}) },
          deploymentId: d.id,
          address: spec.address(m),
        };
        try {
          await conversations.deliver({ agentId: d.agentId, conversationId: conversationIdFor(channel, d.id, m.from) }, message);
        } catch (err) {
          // Not acknowledged: Meta retries the whole delivery, and messages already handed over are answered once.
          throw new ApiError('unavailable', `the message could not be handed to its conversation (${(err as Error).message}); Meta retries the delivery`);
        }
      }
      return c.text('EVENT_RECEIVED', 200);
    });
}

/** A contact's conversation on a deployment: `wa-<deployment>-<wa_id>`, `fb-<deployment>-<psid>`. */
export function conversationIdFor(channel: MetaChannel, deploymentId: string, customer: string): string {
  return `${SPECS[channel].prefix}-${deploymentId.replace(/^dep_/, '')}-${customer}`;
}
