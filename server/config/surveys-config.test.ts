import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from './config.ts';

const fallback = () => ({ organization: 'demo', teams: [{ slug: 'a', name: 'A' }] });

describe('surveys in groundwork.yaml', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'groundwork-surveys-config-'));
  mkdirSync(path.join(dir, 'conf', 'rounds'), { recursive: true });
  mkdirSync(path.join(dir, 'elsewhere'));
  const file = path.join(dir, 'conf', 'groundwork.yaml');
  writeFileSync(
    file,
    'organization: acme\nteams: [{ slug: a, name: A }]\nsurveys: { minGroupSize: 6, dir: rounds }\n',
  );

  test('surveys.dir is read relative to the configuration file; GROUNDWORK_SURVEYS_DIR overrides it', () => {
    const configured = loadConfig({
      env: { GROUNDWORK_CONFIG: file },
      cwd: dir,
      fallbackOrganization: fallback,
    });
    assert.equal(configured.surveysDir, path.join(dir, 'conf', 'rounds'));
    assert.equal(configured.org.surveys.minGroupSize, 6);
    const overridden = loadConfig({
      env: { GROUNDWORK_CONFIG: file, GROUNDWORK_SURVEYS_DIR: 'elsewhere' },
      cwd: dir,
      fallbackOrganization: fallback,
    });
    assert.equal(overridden.surveysDir, path.join(dir, 'elsewhere'));
    assert.equal(loadConfig({ env: {}, cwd: dir, fallbackOrganization: fallback }).surveysDir, null);
  });

  test('a folder that does not exist is named with its key', () => {
    assert.throws(
      () =>
        loadConfig({ env: { GROUNDWORK_SURVEYS_DIR: 'missing' }, cwd: dir, fallbackOrganization: fallback }),
      /GROUNDWORK_SURVEYS_DIR: folder .*missing does not exist/,
    );
  });
});
