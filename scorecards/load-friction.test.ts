import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../test/cli-process.ts';
import { ConfigError, loadConfig, normalizeOrganization } from '#server/config/config.ts';
import { serve } from '#server/serve.ts';
import { demoOrganization } from '#server/demo/demo-organization.ts';
import {
  capabilitiesFolder,
  checkFrictionCatalogue,
  frictionFolder,
  loadFrictionCatalogue,
} from './load-friction.ts';
import { loadSurveys } from './load-surveys.ts';
import { SURVEY_DRIVERS } from './survey-drivers.ts';

const surveys = loadSurveys();
const demo = normalizeOrganization(demoOrganization(), 'demo');
const bare = normalizeOrganization({ organization: 'acme', teams: [] }, 'bare');

/** Copies of the shipped catalogues, with `edits` (file name → text, null to delete) applied. */
function catalogueCopy(edits: { friction?: Record<string, string>; capabilities?: Record<string, string> }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'groundwork-catalogue-'));
  const folders = { friction: path.join(root, 'friction'), capabilities: path.join(root, 'capabilities') };
  cpSync(frictionFolder, folders.friction, { recursive: true });
  cpSync(capabilitiesFolder, folders.capabilities, { recursive: true });
  for (const [kind, files] of Object.entries(edits) as [keyof typeof folders, Record<string, string>][])
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folders[kind], name), text);
  return { root, frictionFolder: folders.friction, capabilitiesFolder: folders.capabilities };
}

function problemsOf(folders: ReturnType<typeof catalogueCopy>, org = demo) {
  const check = checkFrictionCatalogue({ ...folders, surveys, org });
  return check.files.flatMap((file) =>
    file.problems.map((p) => `${path.basename(file.file)} ${p.path}: ${p.message}`),
  );
}

describe('the friction and capability catalogues', () => {
  test('the shipped catalogue is valid and covers every driver and hours category of the shipped surveys', () => {
    const catalogue = loadFrictionCatalogue({ surveys, org: demo });
    const drivers = new Set(catalogue.frictionPoints.flatMap((f) => f.surveyDrivers));
    const hours = new Set(catalogue.frictionPoints.flatMap((f) => f.surveyHours));
    for (const driver of SURVEY_DRIVERS) assert.ok(drivers.has(driver.id), `driver ${driver.id}`);
    for (const survey of surveys)
      for (const question of survey.questions)
        if (question.kind === 'hours') assert.ok(hours.has(question.category), question.category);
    assert.equal(catalogue.frictionPoints.length, readdirSync(frictionFolder).length);
    assert.ok(catalogue.capabilities.some((c) => c.id === 'deployment-self-service'));
  });

  test('on a configuration without those ticket categories it starts, with a warning per category', () => {
    const warnings: string[] = [];
    const catalogue = loadFrictionCatalogue({ surveys, org: bare }, (w) => warnings.push(w));
    assert.ok(catalogue.frictionPoints.length > 0);
    assert.ok(
      warnings.some((w) =>
        /broken-environments\.yaml: evidence\.ticketCategories\[0\]: ticket category "environment" is not configured/.test(
          w,
        ),
      ),
      warnings.join('\n'),
    );
  });

  test('unknown ids, bad shares and cycles are errors naming the file and key path', () => {
    const folders = catalogueCopy({
      friction: {
        'bad-friction.yaml': `id: bad-friction
title: Bad
directFix: none
evidence:
  surveyDrivers: [build-speed]
  surveyHours: [waiting-on-lunch]
  delivery: [{ measure: leadTime.medianHours, factor: 1 }]
`,
      },
      capabilities: {
        'ci-speed-up.yaml': `id: ci-speed-up
title: CI
addresses: [{ friction: slow-builds, share: 1.5 }, { friction: slow-bulids, share: 0.2 }]
effortTeamWeeks: 6
prerequisites: [{ capability: golden-path-templates }]
surveyVote: { question: tools-wanted, option: faster-laptops }
`,
      },
    });
    const problems = problemsOf(folders);
    const expect = (pattern: RegExp) =>
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${pattern}\n${problems.join('\n')}`,
      );
    expect(/^bad-friction\.yaml evidence\.surveyDrivers\[0\]: unknown survey driver "build-speed"/);
    expect(
      /^bad-friction\.yaml evidence\.surveyHours\[0\]: no survey asks about hours lost to "waiting-on-lunch"/,
    );
    expect(
      /^bad-friction\.yaml evidence\.delivery\[0\]\.measure: metric "leadTime\.medianHours" cannot measure hours lost/,
    );
    expect(/^ci-speed-up\.yaml addresses\[0\]\.share: 1\.5 is not a share/);
    expect(/^ci-speed-up\.yaml addresses\[1\]\.friction: unknown friction point "slow-bulids"/);
    expect(/^ci-speed-up\.yaml surveyVote\.option: "tools-wanted" has no option "faster-laptops"/);
    expect(
      /^ci-speed-up\.yaml prerequisites\[0\]\.capability: prerequisites form a cycle: ci-speed-up → golden-path-templates → ci-speed-up/,
    );
    expect(/^golden-path-templates\.yaml prerequisites\[0\]\.capability: prerequisites form a cycle/);
    assert.throws(
      () => loadFrictionCatalogue({ ...folders, surveys, org: demo }),
      (error: unknown) => error instanceof ConfigError && /bad-friction\.yaml/.test(error.message),
    );
  });

  test('a zero share and a duplicate id are errors too', () => {
    const folders = catalogueCopy({
      capabilities: {
        'zero.yaml': `id: zero-share
title: Zero
addresses: [{ friction: finding-information, share: 0 }]
effortTeamWeeks: 1
`,
        'dup.yaml': `id: documentation-hub
title: Again
addresses: [{ friction: finding-information, share: 0.1 }]
effortTeamWeeks: 1
`,
      },
    });
    const problems = problemsOf(folders);
    const expect = (pattern: RegExp) =>
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${pattern}\n${problems.join('\n')}`,
      );
    expect(/^zero\.yaml addresses\[0\]\.share: 0 is not a share/);
    expect(/^(dup|documentation-hub)\.yaml id: capability "documentation-hub" is also defined in/);
  });

  test('the configuration: defaults, and a shipped capability with an unknown team, date or id', () => {
    assert.equal(demo.friction.ticketBlockedFactor, 0.1);
    assert.equal(demo.friction.platformTeamSize, 4);
    assert.equal(demo.friction.readiness.unstableDeveloperShare, 0.25);
    assert.throws(
      () =>
        normalizeOrganization(
          {
            organization: 'acme',
            teams: [{ slug: 'alpha', name: 'Alpha' }],
            friction: {
              ticketBlockedFactor: 2,
              shipped: [{ capability: 'ci-speed-up', shippedOn: '2026-02-30', adoptingTeams: ['beta'] }],
            },
          },
          'groundwork.yaml',
        ),
      (error: unknown) => error instanceof ConfigError && /friction\.ticketBlockedFactor/.test(error.message),
    );
    assert.throws(
      () =>
        normalizeOrganization(
          {
            organization: 'acme',
            teams: [{ slug: 'alpha', name: 'Alpha' }],
            friction: {
              shipped: [{ capability: 'ci-speed-up', shippedOn: '2026-02-30', adoptingTeams: ['beta'] }],
            },
          },
          'groundwork.yaml',
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        /friction\.shipped\[0\]\.shippedOn: "2026-02-30" is not a real date/.test(error.message) &&
        /friction\.shipped\[0\]\.adoptingTeams\[0\]: no team "beta"/.test(error.message),
    );
    const unknown = normalizeOrganization(
      {
        organization: 'acme',
        teams: [{ slug: 'alpha', name: 'Alpha' }],
        friction: {
          shipped: [{ capability: 'teleporter', shippedOn: '2026-09-01', adoptingTeams: ['alpha'] }],
        },
      },
      'groundwork.yaml',
    );
    const check = checkFrictionCatalogue({ surveys, org: unknown });
    assert.match(check.configProblems[0]?.path ?? '', /^friction\.shipped\[0\]\.capability$/);
  });

  test('groundwork scorecards check lists the catalogues and exits 1 on a bad one; start-up stops before the database', async () => {
    const folders = catalogueCopy({
      capabilities: {
        'cyclic.yaml': `id: cyclic
title: Cyclic
addresses: [{ friction: slow-builds, share: 0.1 }]
effortTeamWeeks: 1
prerequisites: [{ capability: cyclic }]
`,
      },
    });
    const bad = runCli(
      [
        'scorecards',
        'check',
        '--friction-dir',
        folders.frictionFolder,
        '--capabilities-dir',
        folders.capabilitiesFolder,
      ],
      { cwd: folders.root, env: {} },
    );
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /^OK +slow-builds\.yaml \(friction slow-builds\)$/m);
    assert.match(bad.stdout, /^OK +ci-speed-up\.yaml \(capability ci-speed-up\)$/m);
    assert.match(bad.stdout, /^INVALID +.*cyclic\.yaml:$/m);
    assert.match(
      bad.stdout,
      /^ {2}- prerequisites\[0\]\.capability: a capability cannot be its own prerequisite$/m,
    );
    const dataDir = path.join(folders.root, 'data');
    const config = loadConfig({
      env: { GROUNDWORK_DATA_DIR: dataDir },
      cwd: folders.root,
      fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
    });
    await assert.rejects(
      serve(config, { catalogue: folders }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes('cyclic.yaml') &&
        error.message.includes('prerequisites[0]'),
    );
    assert.equal(existsSync(dataDir), false);
  });
});
