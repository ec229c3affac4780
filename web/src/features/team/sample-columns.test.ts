import { describe, expect, test } from 'vitest';
import { columnsFor, formatCell } from './sample-columns.ts';

const leadTimeRow = {
  deploymentId: 1269,
  deploymentSource: 'demo',
  deploymentExternalId: 'demo-deploy-checkout-web-163',
  repository: 'acme/checkout-web',
  sha: 'ff1ccef80ae71d74ff86f012f541e2aecb678885',
  pullRequestNumber: 1538,
  startKind: 'pull_request_first_commit',
  changeStartedAt: '2026-10-21T13:56:23.680Z',
  deployedAt: '2026-10-26T15:17:23.159Z',
  leadTimeHours: 121.34985527777778,
  codingHours: null,
  somethingNew: 'kept',
};

describe('columnsFor', () => {
  test('the known columns first, then unknown ones, never internal ids', () => {
    const keys = columnsFor('leadTime', [leadTimeRow]).map((column) => column.key);
    expect(keys.slice(0, 3)).toEqual(['deployedAt', 'leadTimeHours', 'repository']);
    expect(keys.at(-1)).toBe('somethingNew');
    expect(keys).not.toContain('deploymentId');
    expect(keys).not.toContain('deploymentSource');
  });

  test('links out ride on their cells, never as columns; the organisation’s rows name their team first', () => {
    const row = { ...leadTimeRow, pullRequestUrl: 'https://github.com/acme/checkout-web/pull/1538' };
    const columns = columnsFor('leadTime', [row]);
    expect(columns.map((column) => column.key)).not.toContain('pullRequestUrl');
    expect(columns.find((column) => column.key === 'pullRequestNumber')?.href).toBe('pullRequestUrl');
    expect(columns.find((column) => column.key === 'sha')?.href).toBe('commitUrl');
    expect(columns.find((column) => column.key === 'deploymentExternalId')?.href).toBe('deploymentUrl');
    expect(
      columnsFor('ci', [{ run: '12', url: 'https://x.test' }]).map((column) => column.key),
    ).not.toContain('url');
    expect(columnsFor('leadTime', [{ team: 'web', ...row }])[0]?.key).toBe('team');
    expect(columnsFor('leadTime', [row])[0]?.key).toBe('deployedAt');
  });

  test('a column named twice (kind first for rework) appears once', () => {
    const keys = columnsFor('reworkRate', []).map((column) => column.key);
    expect(keys.filter((key) => key === 'kind')).toHaveLength(1);
    expect(keys[1]).toBe('kind');
  });
});

describe('formatCell', () => {
  const columns = Object.fromEntries(
    columnsFor('leadTime', [leadTimeRow]).map((column) => [column.key, column]),
  );
  const cell = (key: string) => formatCell(columns[key]!, leadTimeRow[key as keyof typeof leadTimeRow]);

  test('durations, times, commits and pull requests', () => {
    expect(cell('leadTimeHours')).toBe('5.1 d'); // 121.35 / 24 = 5.06
    expect(cell('deployedAt')).toBe('26 Oct 2026, 15:17 UTC');
    expect(cell('sha')).toBe('ff1ccef');
    expect(cell('pullRequestNumber')).toBe('#1538');
    expect(cell('startKind')).toBe('PR’s first commit');
    expect(cell('codingHours')).toBe('—');
    expect(cell('somethingNew')).toBe('kept');
  });

  test('whether lead time counts a change, and why not', () => {
    const counted = { key: 'excludedReason', label: '', kind: 'excluded' } as const;
    expect(formatCell(counted, null)).toBe('yes');
    expect(formatCell(counted, 'start_out_of_range')).toBe('no: started before 2000');
    expect(formatCell(counted, 'started_after_deployment')).toBe('no: dated after its deployment');
  });

  test('yes/no and an unresolved incident', () => {
    expect(formatCell({ key: 'causedIncident', label: '', kind: 'yesno' }, true)).toBe('yes');
    expect(formatCell({ key: 'causedIncident', label: '', kind: 'yesno' }, false)).toBe('no');
    expect(formatCell({ key: 'resolvedAt', label: '', kind: 'datetime' }, null)).toBe('unresolved');
  });
});
