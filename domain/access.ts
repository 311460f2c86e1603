/**
 * Who is calling: every `/v1` request carries one principal, set by the authentication middleware and
 * read by the role and agent-scope checks. Handlers never check access by hand.
 */
import { z } from 'zod';

/**
 * Roles a stored key can have. `root` is the install's own key (ADMIN_API_KEY), never stored. A `user` key
 * belongs to one person of the workspace: it works the inbox as that person and configures nothing.
 */
export const KEY_ROLES = ['admin', 'channel', 'widget', 'user'] as const;
export const KeyRole = z.enum(KEY_ROLES);
export type KeyRole = z.infer<typeof KeyRole>;
export type Role = KeyRole | 'root';

export const DEFAULT_WORKSPACE_ID = 'default';

export interface Principal {
  /** `root` for the install's key, otherwise the stored key's id. */
  keyId: string;
  name: string;
  role: Role;
  workspaceId: string;
  /** The agents a channel or widget key may reach; null: every agent of the workspace. */
  agentIds: readonly string[] | null;
  /** Browser origins a widget key is used from (scheme://host[:port]). */
  allowedOrigins: readonly string[];
  /** A user key's person: who replies, and the actor in the audit log. Only on `user` keys. */
  user?: { id: string; name: string; email: string };
}

/** Root acts as admin of its workspace; admin rights are what most routes ask for. */
export function isAdmin(p: Principal): boolean {
  return p.role === 'admin' || p.role === 'root';
}

/** Who did it, for the audit log and the workflow's `by`: a user key's person, otherwise the key. */
export function actorOf(p: Principal): { id: string; name: string } {
  return p.user ? { id: p.user.id, name: p.user.name } : { id: p.keyId, name: p.name };
}

export function mayReachAgent(p: Principal, agentId: string): boolean {
  return p.agentIds === null || p.agentIds.includes(agentId);
}

/** An origin as browsers send it: scheme, host and a non-default port, no path. */
export const Origin = z.string().max(300).refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === v.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'an origin such as https://shop.example.com (scheme, host, optional port; no path)').transform((v) => v.replace(/\/$/, ''));
