import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planVersionChanges } from './versioned-rows.ts';
import type { VersionedRow } from './versioned-rows.ts';

const now = new Date('2026-06-01T00:00:00Z');
const march = new Date('2026-03-01T00:00:00Z');
const row = (over: Partial<VersionedRow>): VersionedRow => ({
  id: 1,
  key: 'repository:acme/billing',
  ownerId: 10,
  validFrom: null,
  validTo: null,
  ...over,
});

describe('planVersionChanges', () => {
  test('a first declaration holds from the beginning of time', () => {
    assert.deepEqual(planVersionChanges([], [{ key: 'k', ownerId: 10, effectiveFrom: null }], now), [
      { op: 'open', key: 'k', ownerId: 10, validFrom: null },
    ]);
  });

  test('a first declaration with effectiveFrom starts then', () => {
    assert.deepEqual(planVersionChanges([], [{ key: 'k', ownerId: 10, effectiveFrom: march }], now), [
      { op: 'open', key: 'k', ownerId: 10, validFrom: march },
    ]);
  });

  test('an unchanged declaration changes nothing', () => {
    assert.deepEqual(
      planVersionChanges([row({})], [{ key: row({}).key, ownerId: 10, effectiveFrom: null }], now),
      [],
    );
  });

  test('a move closes the old owner and opens the new one now, or at effectiveFrom', () => {
    const key = row({}).key;
    assert.deepEqual(planVersionChanges([row({})], [{ key, ownerId: 20, effectiveFrom: null }], now), [
      { op: 'close', id: 1, validTo: now },
      { op: 'open', key, ownerId: 20, validFrom: now },
    ]);
    assert.deepEqual(planVersionChanges([row({})], [{ key, ownerId: 20, effectiveFrom: march }], now), [
      { op: 'close', id: 1, validTo: march },
      { op: 'open', key, ownerId: 20, validFrom: march },
    ]);
  });

  test('a move effective before the current owner started replaces that owner instead of overlapping it', () => {
    const current = row({ id: 2, ownerId: 20, validFrom: new Date('2026-04-01T00:00:00Z') });
    assert.deepEqual(
      planVersionChanges([current], [{ key: current.key, ownerId: 30, effectiveFrom: march }], now),
      [{ op: 'reassign', id: 2, ownerId: 30 }],
    );
  });

  test('an undeclared key is closed now; a re-declared one reopens no earlier than it was closed', () => {
    assert.deepEqual(planVersionChanges([row({})], [], now), [{ op: 'close', id: 1, validTo: now }]);
    const closed = row({ validTo: now });
    const later = new Date('2026-07-01T00:00:00Z');
    assert.deepEqual(
      planVersionChanges([closed], [{ key: closed.key, ownerId: 20, effectiveFrom: march }], later),
      [{ op: 'open', key: closed.key, ownerId: 20, validFrom: now }],
    );
  });

  test('an undeclared row that has not started yet is deleted rather than closed before it began', () => {
    const future = row({ validFrom: new Date('2026-09-01T00:00:00Z') });
    assert.deepEqual(planVersionChanges([future], [], now), [{ op: 'delete', id: 1 }]);
  });
});
