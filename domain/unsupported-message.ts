/**
 * A customer message a channel cannot pass on as text (a photo, a voice note, a sticker) is recorded as
 * its kind in brackets, `[image]`, so the transcript shows what came; the turn graph answers such a message
 * with a fixed reply in the customer's language: only text can be read. Pure; shared by channels and graphs.
 */
export const UNSUPPORTED_KINDS = [
  'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'file', 'attachment',
] as const;
export type UnsupportedKind = (typeof UNSUPPORTED_KINDS)[number];

const KNOWN = new Set<string>(UNSUPPORTED_KINDS);
const PLACEHOLDER = new RegExp(`^\\[(${UNSUPPORTED_KINDS.join('|')})\\]$`);

/** The transcript text for a message of this kind ('voice' and unknown kinds are named by what they are closest to). */
export function unsupportedMessageText(type: string): string {
  const kind = KNOWN.has(type) ? type : type === 'voice' ? 'audio' : type === 'gif' ? 'image' : 'attachment';
  return `[${kind}]`;
}

/** The kind when the whole text is such a placeholder; a customer typing one gets the same fixed reply. */
export function unsupportedMessageKind(text: string): UnsupportedKind | undefined {
  return PLACEHOLDER.exec(text.trim())?.[1] as UnsupportedKind | undefined;
}
