import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSurveyFile } from '../../scorecards/load-surveys.ts';
import { normalizeAnswer } from './survey-answers.ts';
import { CsvFormatError, detectDelimiter, parseSurveyCsv } from './survey-csv.ts';
import { detectDateFormat, parseTimestamp } from './survey-dates.ts';

const survey = parseSurveyFile(
  `
id: pulse
title: Pulse
quarter: 2026-Q4
opens: 2026-10-01
closes: 2026-12-31
csv:
  team: Squad
  answers: { focus: 'Deep work?' }
questions:
  - { key: focus, kind: likert, driver: focus-time, text: I get enough time for deep work. }
  - { key: builds, kind: hours, category: waiting-on-builds, text: Hours lost to builds? }
  - key: helps
    kind: multiple-choice
    text: What would help?
    options: [{ key: ci, label: Faster CI }, { key: both, label: 'Builds, tests' }, { key: docs, label: Docs }]
  - { key: notes, kind: text, text: Notes }
`,
  'pulse.yaml',
);

const csvError = (run: () => unknown): CsvFormatError => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CsvFormatError, String(error));
    return error;
  }
  assert.fail('expected a CsvFormatError');
};

describe('parseSurveyCsv', () => {
  test('rows are numbered by the line they start on, past CRLF newlines in quotes and blank lines', () => {
    const csv =
      '\uFEFFSquad,Notes,Deep work?\r\n' + // line 1
      'alpha,"one\r\ntwo\r\n\r\nthree",4\r\n' + // lines 2–5
      '\r\n' + // line 6, blank
      'beta,27" screen,2\r\n' + // line 7: a quote inside an unquoted cell is text
      'gamma,"é\nx",5'; // lines 8–9, no final newline
    const parsed = parseSurveyCsv(Buffer.from(csv), survey);
    assert.deepEqual(
      parsed.rows.map((row) => [row.line, row.input.team, row.input.answers]),
      [
        [2, 'alpha', { focus: '4', notes: 'one\r\ntwo\r\n\r\nthree' }],
        [7, 'beta', { focus: '2', notes: '27" screen' }],
        [8, 'gamma', { focus: '5', notes: 'é\nx' }],
      ],
    );
    assert.deepEqual(parsed.mapping, { team: 'Squad', focus: 'Deep work?', notes: 'Notes' });
  });

  test('semicolons are detected from the header; the command line maps a column over the survey file', () => {
    assert.equal(detectDelimiter('a;"b,c";d\n1,2,3,4'), ';');
    assert.equal(detectDelimiter('a,"b;c",d'), ',');
    const parsed = parseSurveyCsv('Team name;Squad;Focus\nalpha;ignored;Agree\n', survey, {
      team: 'Team name',
      focus: 'Focus',
    });
    assert.deepEqual(parsed.rows[0]?.input, {
      team: 'alpha',
      respondent: undefined,
      submittedAt: undefined,
      answers: { focus: 'Agree' },
    });
    assert.deepEqual(parsed.ignoredColumns, ['Squad']);
  });

  test('a broken file is one problem naming where', () => {
    const unclosed = csvError(() =>
      parseSurveyCsv('Squad,Notes\r\nalpha,"a\r\nb"\r\nbeta,"open\r\n', survey),
    );
    assert.equal(unclosed.field, 'line 4');
    assert.match(unclosed.message, /^line 4: a quoted field that starts on this line is never closed$/);
    assert.equal(csvError(() => parseSurveyCsv('\uFEFF \n', survey)).message, 'the file is empty');
    assert.match(
      csvError(() => parseSurveyCsv(Buffer.from([0x53, 0xe9, 0x00, 0xff, 0x0a]), survey)).message,
      /not text/,
    );
    assert.equal(csvError(() => parseSurveyCsv('Squad,Other\nalpha,1\n', survey)).field, 'file');
    assert.equal(
      csvError(() => parseSurveyCsv('Squad,Notes\n', survey, { nope: 'Notes' })).field,
      'map.nope',
    );
  });
});

describe('import conformance', () => {
  test("Excel's Windows-1252 CSV with German settings: ; separator, dd.mm.yyyy dates, decimal commas", () => {
    const german = Buffer.from(
      'Squad;Zeitstempel;Deep work?;Hours lost to builds?;Notes\r\nalpha;03.11.2026 10:15:22;4;2,5;F\u00fcr uns\r\n',
      'latin1',
    );
    const parsed = parseSurveyCsv(german, survey);
    assert.equal(parsed.encoding, 'windows-1252');
    assert.equal(parsed.mapping['submittedAt'], 'Zeitstempel');
    assert.deepEqual(parsed.rows[0]?.input.answers, { focus: '4', builds: '2,5', notes: 'F\u00fcr uns' });
    assert.equal(parsed.rows[0]?.input.submittedAt, '03.11.2026 10:15:22');
  });

  test('the day-first or month-first order of slashed dates is detected over the column', () => {
    assert.deepEqual(detectDateFormat(['3/11/2026 10:00', '25/11/2026 9:00']), {
      format: 'dd/mm/yyyy',
      ambiguous: false,
    });
    assert.deepEqual(detectDateFormat(['11/3/2026', '11/25/2026']), {
      format: 'mm/dd/yyyy',
      ambiguous: false,
    });
    assert.deepEqual(detectDateFormat(['11/3/2026']), { format: 'mm/dd/yyyy', ambiguous: true });
    assert.deepEqual(detectDateFormat(['03.11.2026 10:15:22', '']), {
      format: 'dd.mm.yyyy',
      ambiguous: false,
    });
    assert.deepEqual(detectDateFormat(['2026-11-03', '3/11/2026']), { format: 'auto', ambiguous: false });
    assert.equal(parseTimestamp('25/11/2026 09:00', 'dd/mm/yyyy')?.toISOString().slice(0, 10), '2026-11-25');
    assert.equal(parseTimestamp('03.11.26 10:15')?.toISOString().slice(0, 10), '2026-11-03');
    assert.equal(parseTimestamp('31.02.2026'), null);
  });

  test('the team column is the configured or an exact "team" header, never one mentioning a team', () => {
    const plain = parseSurveyFile(
      'id: plain\ntitle: P\nquarter: 2026-Q4\nopens: 2026-10-01\ncloses: 2026-12-31\nquestions:\n' +
        '  - { key: focus, kind: likert, driver: focus-time, text: Focus }\n',
      'plain.yaml',
    );
    assert.equal(
      csvError(() => parseSurveyCsv('How does your team review code?,Focus\nslowly,4\n', plain)).field,
      'map.team',
    );
    assert.equal(parseSurveyCsv('Focus, TEAM \n4,alpha\n', plain).mapping['team'], 'TEAM');
  });

  test('partial rows (Typeform Response Type, a blank submit date) and separator-only rows are marked', () => {
    const parsed = parseSurveyCsv(
      'Squad,Deep work?,Response Type,Submit Date (UTC)\nalpha,4,completed,2026-11-03 10:00:00\n' +
        'beta,2,partial,\ngamma,3,,\n,,,\n',
      survey,
    );
    assert.deepEqual(
      parsed.rows.map((row) => [row.partial, row.blank]),
      [
        [null, false],
        ['the form tool marks it "partial", not completed', false],
        ['no submit date in "Submit Date (UTC)"', false],
        ['no submit date in "Submit Date (UTC)"', true],
      ],
    );
  });
});

describe('normalizeAnswer', () => {
  const [focus, builds, helps] = survey.questions;

  test('Likert labels as form tools export them, in any case and spacing', () => {
    const values = [
      'Strongly disagree',
      'disagree',
      'Neither agree nor disagree',
      ' AGREE ',
      'Strongly  agree',
    ];
    assert.deepEqual(
      values.map((label) => normalizeAnswer(focus!, label)),
      [1, 2, 3, 4, 5].map((value) => ({
        answer: { questionKey: 'focus', questionVersion: 1, kind: 'number', value },
      })),
    );
    assert.deepEqual(normalizeAnswer(focus!, 'Kind of'), {
      problem: 'expected 1 to 5 or a label from "Strongly disagree" to "Strongly agree", got "Kind of"',
    });
    assert.deepEqual(normalizeAnswer(focus!, ''), { answer: null });
  });

  test('hours with a decimal comma, within 0 to 40', () => {
    assert.deepEqual(normalizeAnswer(builds!, '2,5'), {
      answer: { questionKey: 'builds', questionVersion: 1, kind: 'number', value: 2.5 },
    });
    assert.ok('problem' in normalizeAnswer(builds!, '41'));
    assert.ok('problem' in normalizeAnswer(builds!, -1));
  });

  test('several choices in one cell, split on , or ; even when a label holds a comma', () => {
    const keys = (raw: unknown) => {
      const result = normalizeAnswer(helps!, raw);
      return 'answer' in result && result.answer?.kind === 'choices' ? result.answer.value : result;
    };
    assert.deepEqual(keys('Builds, tests, Faster CI'), ['both', 'ci']);
    assert.deepEqual(keys('Faster CI;Builds, tests;'), ['ci', 'both']);
    assert.deepEqual(keys(['docs', 'Docs']), ['docs']);
    assert.deepEqual(keys('Docs, Nope'), {
      problem: 'expected one of "ci", "both", "docs" (or their labels), got "Nope"',
    });
  });
});
