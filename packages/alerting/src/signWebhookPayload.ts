import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature the {@link WebhookSink} puts in `X-Beacon-Signature`:
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed with the shared secret, where
 * `timestamp` is the `X-Beacon-Timestamp` header (Unix seconds) and `body` the exact request
 * body. Signing the timestamp with the body lets a receiver refuse replays of old requests.
 */
export function signWebhookPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** Checks a received signature in constant time (for receivers written in TypeScript). */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhookPayload(secret, timestamp, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
