import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/test-database.ts';
import { loadSurveys } from '../../scorecards/load-surveys.ts';
import { normalizeOrganization } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { demoOrganization } from '../demo/demo-organization.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { parseSurveyCommand, runSurveyCommand } from './survey-commands.ts';
import type { SurveyCommand } from './survey-commands.ts';
import { hashLinkToken } from './surveys.service.ts';
import type { SurveyContext } from './surveys.service.ts';

const now = new Date('2026-11-20T12:00:00Z');
const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/surveys');
let handle: DatabaseHandle;
let context: SurveyContext;

const command = (args: string): SurveyCommand => {
  const parsed = parseSurveyCommand(args.split(' '));
  if (typeof parsed === 'string') assert.fail(parsed);
  return parsed;
};
const responses = async () =>
  (await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db)).rows[0]?.n;
const importFixture = (name: string, flags = '') =>
  runSurveyCommand(context, command(`import ${path.join(fixtures, name)} --survey devex-2026-q4${flags}`));

before(async () => {
  handle = await openTestDatabase();
  await syncOrganization(handle.db, normalizeOrganization(demoOrganization(8), 'demo'), now);
  context = { db: handle.db, surveys: loadSurveys(), minGroupSize: 5, hashKey: null, now: () => now };
});
after(async () => {
  await handle.close();
});
beforeEach(async () => {
  await sql`delete from survey_responses`.execute(handle.db);
});

describe('groundwork survey import', () => {
  for (const [file, rows] of [
    ['google-forms.csv', 5],
    ['microsoft-forms.csv', 4],
    ['typeform.csv', 3],
  ] as const) {
    test(`${file}: every row accepted, and importing it again adds nothing`, async () => {
      const first = await importFixture(file);
      assert.equal(first.exitCode, 0, first.stdout.join('\n') + first.stderr.join('\n'));
      assert.match(first.stdout[0] ?? '', new RegExp(`^${rows} rows read, ${rows} accepted, 0 rejected$`));
      assert.match(first.stdout.at(-1) ?? '', new RegExp(`^Written: ${rows} new, 0 replacing`));
      const again = await importFixture(file);
      assert.match(again.stdout.at(-1) ?? '', new RegExp(`^Written: 0 new, ${rows} replacing`));
      assert.equal(await responses(), rows);
    });
  }

  test('labels, decimal commas, checkbox lists and quoted newlines arrive as values', async () => {
    await importFixture('google-forms.csv');
    await importFixture('microsoft-forms.csv');
    const answers = await handle.db
      .selectFrom('surveyAnswers')
      .select(['questionKey', 'numberValue', 'choiceKeys', 'textValue'])
      .execute();
    const hours = answers.filter((a) => a.questionKey === 'hours-waiting-builds').map((a) => a.numberValue);
    // Google: 2, 1.5, 6, 0, 12; Microsoft: 2,5 → 2.5, 8, 0, 1.
    assert.deepEqual(
      hours.sort((a, b) => (a ?? 0) - (b ?? 0)),
      [0, 0, 1, 1.5, 2, 2.5, 6, 8, 12],
    );
    const tools = answers.filter((a) => a.questionKey === 'tools-wanted').map((a) => a.choiceKeys?.join('+'));
    assert.ok(tools.includes('faster-ci+preview-environments'), tools.join(' '));
    assert.ok(tools.includes('faster-ci+better-docs'), tools.join(' '));
    const texts = answers.flatMap((a) => (a.textValue ? [a.textValue] : []));
    assert.ok(texts.includes('Flaky tests in "checkout", again.\nAnd the staging DB.'));
    const submitted = await handle.db
      .selectFrom('surveyResponses')
      .select('submittedOn')
      .distinct()
      .execute();
    assert.ok(submitted.every((row) => /^2026-11-0[345]$/.test(row.submittedOn)));
  });

  test('rejected rows are reported with their line and reason, and nothing is written', async () => {
    const result = await importFixture('awkward-rows.csv');
    assert.equal(result.exitCode, 1);
    assert.deepEqual(result.stdout.slice(0, 1), ['6 rows read, 2 accepted, 4 rejected']);
    const rejected = result.stdout.filter((line) => line.startsWith('line '));
    assert.deepEqual(
      rejected.map((line) => line.split(':')[0]),
      ['line 3', 'line 4', 'line 5', 'line 6'],
    );
    assert.match(rejected[0]!, /team \("Which team are you on\?"\) "Platform" is not a team/);
    assert.match(rejected[1]!, /answers.build-test-speed .* got "Kind of"/);
    assert.match(rejected[2]!, /from 0 to 40, got "50"/);
    assert.match(rejected[3]!, /2026-09-15 is outside the survey's window/);
    assert.equal(
      result.stdout.at(-1),
      'Nothing written: fix the rejected rows, or pass --skip-invalid to import the others.',
    );
    assert.equal(await responses(), 0);
    const dryRun = await importFixture('awkward-rows.csv', ' --dry-run --skip-invalid');
    assert.match(dryRun.stdout[0] ?? '', /\(dry run: nothing written\)$/);
    assert.equal(await responses(), 0);
    const skipping = await importFixture('awkward-rows.csv', ' --skip-invalid');
    assert.equal(skipping.exitCode, 0);
    assert.equal(await responses(), 2);
  });

  test('an unknown survey, a missing file and a bad mapping are one clear line each', async () => {
    const unknown = await runSurveyCommand(context, command(`import x.csv --survey nope`));
    assert.deepEqual(unknown.stderr, [
      'groundwork: --survey: no survey "nope" (known: devex-2026-q3, devex-2026-q4)',
    ]);
    const missing = await importFixture('does-not-exist.csv');
    assert.match(missing.stderr[0] ?? '', /cannot read .*does-not-exist.csv/);
    const badMap = await importFixture('typeform.csv', ' --map team=Squad');
    assert.deepEqual(badMap.stderr, ['groundwork: map.team: no column "Squad" in the header']);
    assert.equal(
      parseSurveyCommand(['import', 'x.csv']),
      '--survey ID is required (the id in scorecards/surveys/*.yaml)',
    );
    assert.match(String(parseSurveyCommand(['links', '--survey', 'x', '--count', '0'])), /--count expects/);
  });
});

describe('groundwork survey links', () => {
  test('prints N distinct links and stores only their hashes', async () => {
    const result = await runSurveyCommand(
      context,
      command('links --survey devex-2026-q4 --count 3 --base-url https://gw.example/'),
    );
    assert.equal(result.exitCode, 0);
    assert.equal(new Set(result.stdout).size, 3);
    const tokens = result.stdout.map((url) => {
      const match = /^https:\/\/gw\.example\/surveys\/devex-2026-q4\?token=(.+)$/.exec(url);
      assert.ok(match, url);
      return decodeURIComponent(match[1]!);
    });
    const stored = await handle.db.selectFrom('surveyLinkTokens').select(['tokenHash', 'usedAt']).execute();
    assert.deepEqual(stored.map((row) => row.tokenHash).sort(), tokens.map(hashLinkToken).sort());
    assert.ok(!JSON.stringify(stored).includes(tokens[0]!));
  });
});
