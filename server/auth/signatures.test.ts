import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateToken, hashToken, scopeGrants } from './api-tokens.ts';
import { sha256Signature, verifySha256Signature } from './signatures.ts';

describe('HMAC-SHA256 signatures', () => {
  // GitHub's published test vector (github/docs validating-webhook-deliveries.md).
  const secret = "It's a Secret to Everybody";
  const vector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  test('match GitHub’s test vector', () => {
    assert.equal(sha256Signature(secret, 'Hello, World!'), vector);
    assert.equal(verifySha256Signature(secret, 'Hello, World!', vector), true);
    // Hex digits in either case are the same signature.
    assert.equal(
      verifySha256Signature(secret, 'Hello, World!', vector.toUpperCase().replace('SHA256', 'sha256')),
      true,
    );
  });

  test('reject another body, another secret, a truncated or missing signature', () => {
    assert.equal(verifySha256Signature(secret, 'Hello, World?', vector), false);
    assert.equal(verifySha256Signature('another secret', 'Hello, World!', vector), false);
    assert.equal(verifySha256Signature(secret, 'Hello, World!', vector.slice(0, -1)), false);
    assert.equal(verifySha256Signature(secret, 'Hello, World!', vector.replace('sha256=', '')), false);
    assert.equal(verifySha256Signature(secret, 'Hello, World!', undefined), false);
  });
});

describe('API tokens', () => {
  test('are gw_ + 32 random bytes, and only their SHA-256 is kept', () => {
    const token = generateToken();
    assert.match(token, /^gw_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(generateToken(), token);
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    // FIPS 180-2's SHA-256 test vector for "abc".
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('admin grants ingest; ingest does not grant admin', () => {
    assert.equal(scopeGrants('admin', 'ingest'), true);
    assert.equal(scopeGrants('ingest', 'ingest'), true);
    assert.equal(scopeGrants('ingest', 'admin'), false);
  });
});
