import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

// `npm install` warns (EBADENGINE) about every installed package whose `engines.node` excludes the Node
// version the README promises. The lockfile records each package's engines, so this checks all of them
// against the README's minimum and the newest Node 20, without installing anything.
const root = path.resolve(import.meta.dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};

test('the README and package.json name the same minimum Node version', () => {
  const promised = /Needs Node\.js ≥ (\d+\.\d+)/.exec(readme)?.[1];
  assert.ok(promised, 'the README names a minimum Node version');
  assert.equal(manifest.engines.node, `>=${promised}`);
});

test('every locked package supports the minimum Node version and Node 20', () => {
  const minimum = semver.minVersion(manifest.engines.node)?.version ?? '';
  const offending = Object.entries(lock.packages).flatMap(([where, entry]) => {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (!where || !range) return [];
    const fits = [minimum, '20.20.0'].every((version) =>
      semver.satisfies(version, range, { includePrerelease: true }),
    );
    return fits ? [] : [`${where}@${entry.version ?? '?'} wants node ${range}`];
  });
  assert.deepEqual(offending, []);
});
