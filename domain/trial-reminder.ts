/**
 * The email that tells a workspace's people its free trial ends soon: when, what happens then, and the
 * one call that keeps the agents on. English only (people have no language setting). Pure.
 */

export interface TrialReminderText {
  subject: string;
  /** Plain text, paragraphs split by blank lines (the HTML is rendered from it). */
  text: string;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Tuesday 7 April 2026 at 09:15 UTC": spelled out here, so it reads the same whatever ICU the install has. */
export function utcDateTime(d: Date): string {
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${hhmm} UTC`;
}

export function trialReminderText(input: { workspaceName: string; endsAt: Date }): TrialReminderText {
  const when = utcDateTime(input.endsAt);
  return {
    subject: `Your free trial ends on ${when}`,
    text: [
      'Hello,',
      `The free trial of the workspace "${input.workspaceName}" ends on ${when} (${input.endsAt.toISOString()}).`,
      'When it ends, every agent of the workspace is switched off and stops answering customers, unless credits are enabled.',
      'To keep your agents answering, enable credits with an admin API key:\n\nPATCH /v1/billing {"creditsEnabled": true}',
      'With credits, a conversation costs 1 credit once an agent has answered in it. Enabling credits after the end switches back on the agents the trial switched off.',
      'This is an automatic message from your customer agent.',
    ].join('\n\n'),
  };
}
