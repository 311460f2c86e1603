/**
 * POST /v1/channels/email/inbound: a raw email (message/rfc822), as a mail provider's inbound webhook or
 * a forwarding script hands it over. The handling is the SMTP listener's too (channels/email/inbound.ts);
 * this route only checks the body and the caller, and shapes the answer. 202 either way: the reply goes
 * out by email, through the conversation's workflow.
 */
import { z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { MAX_EMAIL_BYTES, NoEmailDeploymentError, receiveEmail } from '../../channels/email/inbound.js';
import { EmailReceipt } from '../channel-schemas.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';

/** Exempt from the API's JSON body cap (api/app.ts): this route has its own, sized for email. */
export const EMAIL_INBOUND_PATH = /^\/v1\/channels\/email\/inbound\/?$/;

const inbound = v1Route({
  method: 'post', path: '/inbound', operationId: 'receiveEmail', tags: ['channels'],
  summary: 'An inbound email, raw (Content-Type: message/rfc822): routed by its recipient to the email deployment with that address, '
    + 'threaded into its conversation by Message-ID, In-Reply-To and References, and answered by email; auto-replies, bounces, '
    + 'mailing lists and ignored senders are not. The same email posted again is taken once',
  middleware: [allow('admin', 'channel')],
  request: { body: { required: true, content: { 'message/rfc822': { schema: z.string().meta({ format: 'binary' }) } } } },
  responses: {
    202: json(EmailReceipt, 'Taken (accepted: its conversation answers by email) or left unanswered (ignored, with the reason)'),
    ...errors(400, 413, 415, 422, 503),
  },
});

export function emailChannelRoutes({ db, secrets, conversations }: ApiDeps) {
  const app = openApiRouter();
  app.use('/inbound', bodyLimit({
    maxSize: MAX_EMAIL_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `the email is larger than ${MAX_EMAIL_BYTES / 1024 / 1024} MiB`);
    },
  }));
  return app.openapi(inbound, async (c) => {
    if (!/^message\/rfc822\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError('unsupported_media_type', 'send the raw email, headers and body as received, with Content-Type: message/rfc822');
    }
    if (!secrets) throw new ApiError('unavailable', 'this API runs without SECRETS_KEY, so it has no deployments to route email to: set SECRETS_KEY and restart');
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (raw.length === 0) throw new ApiError('malformed_body', 'the body is empty: send the raw email (RFC 5322), headers and body');
    const p = c.get('principal');
    try {
      const receipt = await receiveEmail({ db, box: secrets, conversations }, raw, { caller: p });
      return c.json(EmailReceipt.parse(receipt), 202);
    } catch (err) {
      if (err instanceof NoEmailDeploymentError) {
        if (err.addresses.length === 0) throw new ApiError('invalid_request', err.message);
        throw new ApiError('deployment_not_found', err.message);
      }
      throw err;
    }
  });
}
