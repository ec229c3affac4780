import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../../test/cli-process.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { serve } from '../serve.ts';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-scorecards-'));
const badFolder = path.join(cwd, 'cards');
const badCard = path.join(badFolder, 'bad.yaml');

// Silver names a metric the registry does not have.
mkdirSync(badFolder);
writeFileSync(
  badCard,
  `id: bad
title: Bad
levels:
  - id: bronze
    rules: [{ metric: leadTime.medianHours, op: '<', threshold: 24, description: x }]
  - id: silver
    rules: [{ metric: leadTime.meanHours, op: '<', threshold: 12, description: x }]
`,
);

describe('validating scorecards', () => {
  test('groundwork scorecards check reports each shipped card OK and exits 0', () => {
    const result = runCli(['scorecards', 'check'], { cwd, env: {} });
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /^OK +delivery-hygiene\.yaml \(delivery-hygiene: bronze → silver → gold; 16 rules\)$/m,
    );
    assert.match(result.stdout, /^OK +dora\.yaml \(dora: bronze → silver → gold; 13 rules\)$/m);
  });

  test('a bad card: the check names the file and the key path and exits 1', () => {
    const result = runCli(['scorecards', 'check', '--dir', badFolder], { cwd, env: {} });
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      new RegExp(`^INVALID +${badCard.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:$`, 'm'),
    );
    assert.match(
      result.stdout,
      /^ {2}- levels\[1\]\.rules\[0\]\.metric: unknown metric "leadTime\.meanHours"/m,
    );
  });

  test('a bad card stops start-up before the database is opened, naming the file and key path', async () => {
    const dataDir = path.join(cwd, 'data');
    const config = loadConfig({
      env: { GROUNDWORK_DATA_DIR: dataDir },
      cwd,
      fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
    });
    await assert.rejects(
      serve(config, { scorecardsFolder: badFolder }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.startsWith(`Invalid configuration in ${badCard}:`) &&
        error.message.includes('levels[1].rules[0].metric: unknown metric'),
    );
    assert.equal(existsSync(dataDir), false);
  });
});
