/** Everything the worker bundles: workflow functions only. */
export { conversation } from './conversation.js';
export { sourceSync } from './source-sync.js';
export { workspaceTrial } from './workspace-trial.js';
export { webhookDelivery } from './webhook-delivery.js';
export { outboundDelivery } from './outbound-delivery.js';
