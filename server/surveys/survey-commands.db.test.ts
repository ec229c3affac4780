import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
import { MAX_CSV_BYTES } from './survey-csv.ts';
import type { SurveyCommand } from './survey-commands.ts';
import { hashLinkToken, surveyResults } from './surveys.service.ts';
import type { SurveyContext } from './surveys.service.ts';

const now = new Date('2026-11-20T12:00:00Z');
const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/surveys');
let handle: DatabaseHandle;
let context: SurveyContext;

const command = (args: string): Exclude<SurveyCommand, { action: 'new' }> => {
  const parsed = parseSurveyCommand(args.split(' '));
  if (typeof parsed === 'string' || parsed.action === 'new') assert.fail(String(parsed));
  return parsed;
};
const responses = async () =>
  (await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db)).rows[0]?.n;
const importFixture = (name: string, flags = '') =>
  runSurveyCommand(context, command(`import ${path.join(fixtures, name)} --survey devex-2026-q4${flags}`));

before(async () => {
  handle = await openTestDatabase();
  await syncOrganization(handle.db, normalizeOrganization(demoOrganization(8), 'demo'), now);
  context = {
    db: handle.db,
    surveys: loadSurveys(),
    minGroupSize: 5,
    publishComments: true,
    hashKey: null,
    now: () => now,
  };
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
    assert.deepEqual(result.stdout.slice(0, 1), ['6 rows read, 3 accepted, 3 rejected']);
    const rejected = result.stdout.filter((line) => line.startsWith('line '));
    assert.deepEqual(
      rejected.map((line) => line.split(':')[0]),
      ['line 3', 'line 4', 'line 6', 'line 5'],
    );
    assert.match(rejected[0]!, /team \("Which team are you on\?"\) "Platform" is not a team/);
    assert.match(rejected[1]!, /answers.build-test-speed .* got "Kind of"/);
    assert.match(rejected[2]!, /2026-09-15 is outside the survey's window/);
    // An impossible hours answer drops that cell, not the row.
    assert.match(
      rejected[3]!,
      /^line 5: warning: answers.hours-waiting-builds .*from 0 to 40, got "50"; left out$/,
    );
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
    assert.equal(await responses(), 3);
  });

  test('an unknown survey, a missing file and a bad mapping are one clear line each', async () => {
    const unknown = await runSurveyCommand(context, command(`import x.csv --survey nope`));
    assert.deepEqual(unknown.stderr, [
      'groundwork: --survey: no survey "nope" (known: devex-2026-q3, devex-2026-q4)',
    ]);
    const missing = await importFixture('does-not-exist.csv');
    assert.match(missing.stderr[0] ?? '', /cannot read .*does-not-exist.csv/);
    const huge = path.join(mkdtempSync(path.join(os.tmpdir(), 'groundwork-huge-')), 'huge.csv');
    writeFileSync(huge, Buffer.alloc(MAX_CSV_BYTES + 1, 0x61));
    const tooBig = await runSurveyCommand(context, command(`import ${huge} --survey devex-2026-q4`));
    assert.deepEqual(tooBig.stderr, [
      `groundwork: cannot read ${huge}: it is larger than 10 MB, the import limit`,
    ]);
    const badMap = await importFixture('typeform.csv', ' --map team=Squad');
    assert.deepEqual(badMap.stderr, ['groundwork: map.team: no column "Squad" in the header']);
    assert.equal(
      parseSurveyCommand(['import', 'x.csv']),
      '--survey ID is required (the id in the survey files)',
    );
    assert.match(
      String(parseSurveyCommand(['links', '--survey', 'x', '--team', 'a', '--count', '0'])),
      /--count expects/,
    );
    assert.match(
      String(parseSurveyCommand(['links', '--survey', 'x', '--count', '2'])),
      /--team SLUG is required/,
    );
  });
});

describe('groundwork survey links', () => {
  test('prints N distinct links and stores only their hashes', async () => {
    const result = await runSurveyCommand(
      context,
      command('links --survey devex-2026-q4 --team checkout --count 3 --base-url https://gw.example/'),
    );
    assert.equal(result.exitCode, 0);
    assert.equal(new Set(result.stdout).size, 3);
    const tokens = result.stdout.map((url) => {
      const match = /^https:\/\/gw\.example\/surveys\/devex-2026-q4\?token=(.+)&team=checkout$/.exec(url);
      assert.ok(match, url);
      return decodeURIComponent(match[1]!);
    });
    const stored = await handle.db.selectFrom('surveyLinkTokens').select(['tokenHash', 'usedAt']).execute();
    assert.deepEqual(stored.map((row) => row.tokenHash).sort(), tokens.map(hashLinkToken).sort());
    assert.ok(!JSON.stringify(stored).includes(tokens[0]!));
  });
});

// One quarterly survey as three tools export it (test/fixtures/surveys/conformance): Google Forms, Typeform
// (an "Other" column, one column per option, a partial response) and Microsoft Forms saved by Excel with
// German settings (Windows-1252, semicolons, dd.mm.yyyy, decimal commas). Each holds a double submission,
// an "Other" answer, an invalid hours cell, an empty submission and a separator-only row. Imported as is,
// all three give the same results.

async function importFresh(file: string) {
  await sql`delete from survey_responses`.execute(handle.db);
  const output = await runSurveyCommand(context, {
    action: 'import',
    file: path.join(fixtures, 'conformance', file),
    surveyId: 'devex-2026-q4',
    dryRun: false,
    skipInvalid: false,
    overrides: {},
  });
  // Read once the round has closed, so every response counts.
  const results = await surveyResults(
    { ...context, now: () => new Date('2027-01-10T00:00:00Z') },
    'devex-2026-q4',
  );
  return { output, results };
}

describe('the same survey from three form tools', () => {
  test('each import leaves out the same rows, keeps the row of an invalid hours cell, and says so', async () => {
    const expected = {
      'google-forms.csv': ['17 rows read, 14 accepted, 3 rejected', 'utf-8'],
      'typeform.csv': ['18 rows read, 14 accepted, 4 rejected', 'utf-8'],
      'microsoft-forms-de.csv': ['17 rows read, 14 accepted, 3 rejected', 'windows-1252'],
    };
    for (const [file, [summary, encoding]] of Object.entries(expected)) {
      const { output } = await importFresh(file);
      assert.equal(output.exitCode, 0, `${file}: ${output.stdout.join('\n')}${output.stderr.join('\n')}`);
      assert.equal(output.stdout[0], summary, file);
      const text = output.stdout.join('\n');
      assert.match(text, /: row a double submission: the same team and answers as line \d+/, file);
      assert.match(text, /: row answers no question \(an empty submission\)/, file);
      assert.match(text, /: row is empty/, file);
      assert.match(text, /warning: answers.hours-waiting-builds .*got "40\+"; left out/, file);
      assert.match(text, /warning: answers.hours-waiting-builds .*got "about 3"; left out/, file);
      assert.match(
        text,
        encoding === 'utf-8'
          ? /dates read as (yyyy-mm-dd|mm\/dd\/yyyy)$/m
          : /dates read as dd\.mm\.yyyy; file read as windows-1252/,
        file,
      );
      if (file === 'typeform.csv')
        assert.match(text, /row is a partial response: the form tool marks it "partial"/);
      assert.match(output.stdout.at(-1) ?? '', /^Written: 14 new, 0 replacing/, file);
    }
  });

  test('all three give identical per-team results', async () => {
    const [google, typeform, microsoft] = await Promise.all([]).then(async () => [
      (await importFresh('google-forms.csv')).results,
      (await importFresh('typeform.csv')).results,
      (await importFresh('microsoft-forms-de.csv')).results,
    ]);
    assert.deepEqual(typeform, google);
    assert.deepEqual(microsoft, google);
    const checkout = google!.teams.find((t) => t.team.slug === 'checkout')!.result;
    assert.ok(!checkout.suppressed);
    assert.equal(checkout.responses, 6);
    // "Too many alerts" is not an option: it counts as other, and its text goes with the comments.
    const slowdown = checkout.choices.find((c) => c.question === 'biggest-slowdown')!.result;
    assert.ok(!slowdown.suppressed);
    // 1 of 6: Wilson 95% from 3 % to 56.4 %.
    assert.deepEqual(
      slowdown.options.find((o) => o.option === 'other'),
      { option: 'other', label: 'Other', percent: 16.7, interval95: { low: 3, high: 56.4 }, rank: 5 },
    );
    const others = checkout.comments.find((c) => c.question === 'biggest-slowdown:other')!.result;
    assert.deepEqual(others, { suppressed: true, reason: 'fewer than 5 responses' });
    const organizationOthers = google!.organization.result;
    assert.ok(!organizationOthers.suppressed);
    // Hours: 2.5, 6, 1, (40+ left out), 0, 12 → 5 answers, mean 4.3.
    const hours = checkout.hoursLost.find((h) => h.category === 'waiting-on-builds')!.result;
    assert.ok(!hours.suppressed);
    assert.equal(hours.respondents, 5);
    assert.equal(hours.meanHoursPerWeek, 4.3);
    const payments = google!.teams.find((t) => t.team.slug === 'payments')!.result;
    assert.deepEqual(payments, { suppressed: true, reason: 'fewer than 5 responses' });
    assert.doesNotMatch(JSON.stringify(google), /Payments secret/);
  });
});
