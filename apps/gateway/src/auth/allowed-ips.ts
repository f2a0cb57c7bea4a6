import { BlockList, isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { SwitchboardError, quoteInput } from '@switchboard/spec';

/**
 * `general_settings.allowed_ips` (addresses or CIDR ranges): only these clients may call
 * authenticated routes, LiteLLM's 403 otherwise. With `use_x_forwarded_for` the client is the
 * first `X-Forwarded-For` entry (the proxy in front must set it), else the socket's peer.
 */
export class AllowedIps {
  private readonly list = new BlockList();

  constructor(
    entries: readonly string[],
    private readonly useForwardedFor: boolean,
  ) {
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
  }

  static from(settings: Readonly<Record<string, unknown>>): AllowedIps | undefined {
    const entries = settings.allowed_ips;
    if (!Array.isArray(entries) || entries.length === 0) return undefined;
    return new AllowedIps(entries.map(String), settings.use_x_forwarded_for === true);
  }

  assertAllowed(socketAddress: string | undefined, headers: IncomingHttpHeaders): void {
    const forwarded = typeof headers['x-forwarded-for'] === 'string' ? headers['x-forwarded-for'].split(',')[0].trim() : undefined;
    const raw = (this.useForwardedFor && forwarded) || socketAddress || '';
    // IPv4 peers on a dual-stack socket arrive as ::ffff:a.b.c.d.
    const address = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    const family = isIP(address);
    if (family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4')) return;
    throw new SwitchboardError('permission_denied', `Access forbidden: IP address ${quoteInput(address, 64)} not allowed.`, { param: null });
  }
}
