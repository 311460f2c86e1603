/**
 * WhatsApp's customer-service window and Messenger's standard messaging window: a business may answer
 * freely for 24 hours after the customer's last message; after that Meta refuses free-form messages. The
 * sender checks before posting, so the transcript says why a reply was not sent instead of a Graph error.
 */
import { DeliveryRefused } from '../channel.js';

export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600_000;

/**
 * Throws DeliveryRefused(not_sent) when the window has closed. It counts from when the customer sent
 * their last message by Meta's clock (kept in the address), else from when it arrived; with neither known
 * the message is posted and Graph decides.
 */
export function assertWindowOpen(w: { channelName: string; lastCustomerMessageAt: number | undefined; now: number; windowMs: number }): void {
  if (w.lastCustomerMessageAt === undefined) return;
  const elapsed = w.now - w.lastCustomerMessageAt;
  if (elapsed <= w.windowMs) return;
  throw new DeliveryRefused(
    `outside ${w.channelName}'s ${formatHours(w.windowMs)} customer service window: the customer last wrote ${formatAgo(elapsed)} ago `
    + `(${new Date(w.lastCustomerMessageAt).toISOString()}); Meta accepts a reply only within ${formatHours(w.windowMs)} of the customer's last message`,
    'not_sent',
  );
}

function formatHours(ms: number): string {
  const h = ms / 3600_000;
  return Number.isInteger(h) ? `${h}-hour` : `${Math.round(ms / 1000)}-second`;
}

function formatAgo(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  return hours < 72 ? `${hours} hours` : `${Math.floor(hours / 24)} days`;
}
