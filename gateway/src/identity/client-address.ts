import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The client's address, forwarded to the subgraphs (sign-in throttling) and used for anonymous
 * rate limits. By default the TCP peer: anyone can write `X-Forwarded-For`. With `trustProxy`
 * (the gateway only reachable through a proxy that sets the header itself, overwriting what
 * the client sent) the header's first entry is the client; an entry that is not an IP address
 * is ignored in favour of the peer.
 */
export function clientAddressOf(
  request: Pick<IncomingMessage, 'headers' | 'socket'>,
  options: { trustProxy: boolean },
): string | null {
  if (options.trustProxy) {
    const forwarded = firstForwardedFor(request.headers['x-forwarded-for']);
    if (forwarded) return forwarded;
  }
  const peer = request.socket.remoteAddress;
  return peer ? normalizeAddress(peer) : null;
}

function firstForwardedFor(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  if (!first) return null;
  const address = normalizeAddress(first);
  return isIP(address) ? address : null;
}

// Dual-stack sockets report IPv4 peers as `::ffff:a.b.c.d`; one client, one spelling.
function normalizeAddress(address: string): string {
  const unmapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return (unmapped ?? address).toLowerCase();
}
