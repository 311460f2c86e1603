/**
 * DNS rebinding guard. An API listening on loopback (the `npm start` default) trusts that only this
 * machine reaches it, but any web page its operator opens can make the browser call it: under a name the
 * page's owner controls and re-points at 127.0.0.1, the browser treats the API as that page's own origin
 * and reads the answers. The browser always sends the name it used in `Host`, so while on, only requests
 * addressed to a loopback name or address (localhost, *.localhost, 127.x.y.z, [::1]) or to a name in
 * ALLOWED_HOSTS (a reverse proxy's public name) are answered; anything else is a 403 saying what to set.
 */
import type { MiddlewareHandler } from 'hono';
import { blockReason, parseIp } from '../../knowledge/fetch/address.js';
import { ApiError, respondError } from '../errors.js';

/** A host name or address (with or without port or brackets) that always means this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host);
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const ip = parseIp(name);
  return ip !== undefined && blockReason(ip) === 'loopback';
}

/** The name of a Host header value: lower case, without port, brackets or trailing dot. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(h);
  const name = bracketed ? bracketed[1]! : (h.match(/:/g) ?? []).length === 1 ? h.slice(0, h.indexOf(':')) : h;
  return name.replace(/\.$/, '');
}

export function loopbackHostOnly(options: { allowedHosts?: readonly string[] } = {}): MiddlewareHandler {
  const allowed = new Set((options.allowedHosts ?? []).map(hostName));
  return async (c, next) => {
    const host = c.req.header('host');
    if (host !== undefined && (isLoopbackHost(host) || allowed.has(hostName(host)))) return next();
    return respondError(c, new ApiError('forbidden', `this server answers requests addressed to localhost, 127.0.0.1 or [::1]`
      + `${allowed.size > 0 ? ` or ${[...allowed].join(', ')}` : ''}, not to ${host === undefined ? 'no Host at all' : `Host: ${host}`} `
      + '(a guard against DNS rebinding); if this name is meant to reach it, add it to ALLOWED_HOSTS', 'host'));
  };
}
