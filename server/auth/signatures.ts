import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<lowercase hex HMAC-SHA256(secret, body)>`: the header value GitHub and our senders send. */
export function sha256Signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Whether `header` is the `sha256=` signature of the raw body under `secret`. Compared in constant time
 * (after a length check, which `timingSafeEqual` needs) so a forger learns nothing from how long a rejection
 * takes.
 */
export function verifySha256Signature(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(sha256Signature(secret, body), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
