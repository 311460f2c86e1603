/** Everything the worker bundles: workflow functions only. */
export { conversation } from './conversation.js';
