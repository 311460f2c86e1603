/**
 * A custom channel's inbound route: the business's adapter POSTs a customer message, gets 202 at once,
 * and the reply arrives at the deployment's settings.url, signed (channels/custom/send.ts).
 */
import { conversationChannel, liveDeployment } from '../../db/deployments.js';
import { mayReachAgent } from '../../domain/access.js';
import { Accepted, CustomDeploymentParam, CustomInbound } from '../channel-schemas.js';
import { checkCustomer } from '../customer-identity.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { jsonBody, params } from '../validate.js';

const receive = v1Route({
  method: 'post', path: '/{deploymentId}/messages', operationId: 'postCustomChannelMessage', tags: ['channels'],
  summary: "A customer message from a custom channel's adapter: accepted at once; the reply is POSTed to the deployment's url, signed like the webhooks",
  middleware: [allow('admin', 'channel')],
  request: { params: CustomDeploymentParam, body: jsonRequest(CustomInbound) },
  responses: { 202: json(Accepted, 'Accepted: the conversation has it (a retry with the same messageId is processed once)'), ...errors(400, 409, 413, 415, 422, 503) },
});

export function customChannelRoutes({ db, conversations, secrets }: ApiDeps) {
  return openApiRouter().openapi(receive, async (c) => {
    const { deploymentId } = params(c, CustomDeploymentParam);
    const body = await jsonBody(c, CustomInbound);
    const p = c.get('principal');
    const deployment = await liveDeployment(db, p.workspaceId, deploymentId);
    if (!deployment || deployment.channel !== 'custom' || !mayReachAgent(p, deployment.agentId)) {
      throw new ApiError('deployment_not_found', `custom channel deployment ${deploymentId} does not exist`, 'deploymentId');
    }
    const target = { agentId: deployment.agentId, conversationId: body.conversationId };
    const existing = await conversationChannel(db, target);
    if (existing && existing !== 'custom') {
      throw new ApiError('conflict', `conversation ${body.conversationId} runs on ${existing}; use another conversationId for this channel`, 'conversationId');
    }
    // The token stops here: the conversation gets the customer as checked, never what was sent.
    const { customer, verification } = await checkCustomer({ db, secrets }, p.workspaceId, body.customer);
    await conversations.deliver(target, {
      messageId: body.messageId, text: body.text, channel: 'custom', deploymentId: deployment.id,
      ...(customer ? { customer } : {}),
    });
    return c.json(Accepted.parse({
      status: 'accepted', conversationId: body.conversationId, messageId: body.messageId, ...(verification ? { customer: verification } : {}),
    }), 202);
  });
}
