import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { formatCount, formatHours, formatPerWeek } from '../../web/src/lib/format.ts';
import { startServer } from '../cli-process.ts';
import type { RunningServer } from '../cli-process.ts';
import { launchChromium, missingBrowser, openPage, screenshot, seriousViolations } from './browser.ts';

// The dashboard in a real browser against the real server on the demo organisation, as `npm start` gives
// it, with the clock pinned so every figure is reproducible. Each test opens a page, waits for figures
// the API computed to appear, checks it for console errors and serious accessibility violations, and
// leaves a screenshot under test-results/.
const NOW = '2026-11-20T12:00:00Z';
const webDist = path.resolve(import.meta.dirname, '../../web/dist/index.html');

let server: RunningServer;
let browser: Browser;

async function api<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${server.url}${pathAndQuery}`);
  assert.equal(response.status, 200, `${pathAndQuery} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Opens `url`, runs `check`, then asserts a clean console and no serious accessibility violation. */
async function visit(
  name: string,
  url: string,
  check: (page: Page) => Promise<void>,
  width: 1440 | 390 = 1440,
): Promise<void> {
  const { page, errors } = await openPage(browser, width);
  try {
    await page.goto(`${server.url}${url}`);
    await check(page);
    await page.waitForLoadState('networkidle');
    await screenshot(page, name);
    assert.deepEqual(await seriousViolations(page), [], `accessibility on ${url}`);
    assert.deepEqual(errors, [], `console errors on ${url}`);
  } finally {
    await page.context().close();
  }
}

interface Figures {
  deploymentFrequency: { count: number; perWeek: number | null; sampleSize: number };
  leadTime: { medianHours: number | null; sampleSize: number };
}
interface MetricsResponse {
  organization: Figures;
  teams: (Figures & { team: string })[];
}

const skip = missingBrowser();
if (skip) console.log(`browser tests skipped: ${skip}`);

describe('the dashboard in Chromium, on the demo organisation', { skip: skip ?? false }, () => {
  before(async () => {
    assert.ok(existsSync(webDist), 'the dashboard is not built: run `npm run build` first');
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-e2e-'));
    server = await startServer({
      cwd,
      env: { GROUNDWORK_DATA_DIR: path.join(cwd, 'data'), PORT: '0', GROUNDWORK_NOW: NOW, LOG_LEVEL: 'warn' },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('overview: the organisation and every team with figures from the API', async () => {
    const metrics = await api<MetricsResponse>('/api/v1/metrics?period=last-30d&groupBy=team');
    await visit('overview', '/', async (page) => {
      const table = page.getByRole('table', { name: /teams and the organisation/ });
      await table.waitFor();
      const org = table.getByRole('row', { name: /^Organisation/ });
      await org.getByText(formatPerWeek(metrics.organization.deploymentFrequency.perWeek)).waitFor();
      await org.getByText(formatHours(metrics.organization.leadTime.medianHours), { exact: true }).waitFor();
      assert.equal(await table.locator('tbody tr').count(), metrics.teams.length);
    });
  });

  test('overview: sorting by a column puts the worst team on top, in the URL', async () => {
    const metrics = await api<MetricsResponse>('/api/v1/metrics?period=last-30d&groupBy=team');
    const slowest = [...metrics.teams].sort(
      (a, b) => (b.leadTime.medianHours ?? -1) - (a.leadTime.medianHours ?? -1),
    )[0];
    const teams = await api<{ teams: { slug: string; name: string }[] }>('/api/v1/teams');
    const slowestName = teams.teams.find((team) => team.slug === slowest?.team)?.name ?? '';
    await visit('overview-sorted', '/', async (page) => {
      await page.getByRole('link', { name: /^Lead time for changes/ }).click();
      await page.waitForURL(/sort=leadTime&order=desc/);
      const firstRow = page
        .getByRole('table', { name: /teams and the organisation/ })
        .locator('tbody tr')
        .first();
      await firstRow.getByRole('link', { name: slowestName }).waitFor();
      await page.getByRole('heading', { name: 'Where to look first' }).waitFor();
    });
  });

  test('data sources: collectors, pushes and stored events', async () => {
    const sources = await api<{ sources: { source: string; deployments: { total: number } }[] }>(
      '/api/v1/data-sources',
    );
    const demo = sources.sources.find((source) => source.source === 'demo');
    assert.ok(demo);
    await visit('data-sources', '/data-sources', async (page) => {
      await page
        .getByRole('table', { name: /Collectors/ })
        .getByRole('rowheader', { name: 'github', exact: true })
        .waitFor();
      await page
        .getByRole('table', { name: /Stored events/ })
        .getByText(formatCount(demo.deployments.total, 'deployment'))
        .waitFor();
    });
  });

  test('team page: switch team and period, the figures follow', async () => {
    const quarter = await api<Figures>('/api/v1/teams/payments/metrics?period=2026-Q3');
    const checkout = await api<Figures>('/api/v1/teams/checkout/metrics?period=2026-Q3');
    await visit('team', '/teams/payments?period=last-30d', async (page) => {
      await page.getByRole('heading', { level: 1, name: /Payments/ }).waitFor();
      await page
        .getByLabel(/Period/)
        .first()
        .selectOption('2026-Q3');
      await page.waitForURL(/period=2026-Q3/);
      await page.getByText(formatCount(quarter.deploymentFrequency.count, 'deployment')).first().waitFor();
      await page.getByLabel(/Team/).first().selectOption('checkout');
      await page.waitForURL(/\/teams\/checkout\?period=2026-Q3/);
      await page.getByRole('heading', { level: 1, name: /Checkout/ }).waitFor();
      await page.getByText(formatCount(checkout.deploymentFrequency.count, 'deployment')).first().waitFor();
    });
  });

  test('survey: the form sends a response for a team and its count on the results page goes up', async () => {
    const id = 'devex-2026-q4';
    type Results = {
      teams: { team: { slug: string }; result: { suppressed: boolean; responses?: number } }[];
    };
    const responses = async () =>
      (await api<Results>(`/api/v1/surveys/${id}/results?groupBy=team`)).teams.find(
        (team) => team.team.slug === 'checkout',
      )?.result.responses;
    const before = await responses();
    assert.ok(before !== undefined && before >= 5, `checkout has ${String(before)} responses`);
    await visit('survey-form', `/surveys/${id}`, async (page) => {
      await page.getByLabel('Your team').selectOption('checkout');
      await page.getByRole('radio').first().check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    });
    assert.equal(await responses(), before + 1);
    await visit('survey-results', `/surveys/${id}/results`, async (page) => {
      const row = page.getByRole('row', { name: /^Checkout/ }).first();
      await row
        .getByText(String(before + 1))
        .first()
        .waitFor();
    });
  });

  test('waiting on others: the slowest request category first, with its median wait', async () => {
    type Waits = { groups: { label: string; waitBeforeStart: { medianHours: number | null } }[] };
    const waits = await api<Waits>('/api/v1/tickets/wait-times?period=last-30d&groupBy=category');
    const slowest = waits.groups[0];
    assert.ok(slowest, 'the demo has ticket waits');
    await visit('waiting', '/waiting', async (page) => {
      const first = page.locator('table.wait-table tbody tr').first();
      await first.getByRole('rowheader', { name: slowest.label }).waitFor();
      await first.getByText(formatHours(slowest.waitBeforeStart.medianHours)).first().waitFor();
    });
  });

  test('overview names the struggling teams on waits and survey drivers too', async () => {
    await visit('overview-attention', '/', async (page) => {
      const panel = page.getByRole('region', { name: 'Where to look first' });
      await panel
        .getByText(/Requests to other teams wait/)
        .first()
        .waitFor();
      await panel.getByText(/Slowest request categories/).waitFor();
      await panel.getByText(/Weakest survey drivers/).waitFor();
    });
  });

  test('team page: its survey drivers and its waits on other teams', async () => {
    type Waits = { groups: { key: string | null; waitBeforeStart: { medianHours: number | null } }[] };
    const waits = await api<Waits>('/api/v1/tickets/wait-times?period=last-30d&groupBy=requestingTeam');
    const identity = waits.groups.find((group) => group.key === 'identity');
    assert.ok(identity, 'the demo has identity waiting on other teams');
    await visit('team-identity', '/teams/identity?period=last-30d', async (page) => {
      const waitsPanel = page.getByRole('region', { name: 'Waiting on other teams' });
      await waitsPanel
        .getByText(formatHours(identity.waitBeforeStart.medianHours), { exact: true })
        .waitFor();
      const survey = page.getByRole('region', { name: 'Survey drivers' });
      await survey.getByRole('table').getByRole('row').nth(1).waitFor();
    });
  });

  test('where to look first: the demo’s regressed team first, with its delta; every figure with its change', async () => {
    type Change = { ratio: number | null; direction: string | null };
    type Row = { team: string; leadTime: { sampleSize: number }; change: { leadTime: Change } };
    const metrics = await api<{ teams: Row[] }>(
      '/api/v1/metrics?period=last-30d&groupBy=team&compare=previous',
    );
    const regressed = [...metrics.teams]
      .filter((row) => row.change.leadTime.direction === 'worse')
      .sort((a, b) => (b.change.leadTime.ratio ?? 0) - (a.change.leadTime.ratio ?? 0))[0];
    assert.ok(
      regressed && (regressed.change.leadTime.ratio ?? 0) >= 1.5,
      'the demo has a lead time regression',
    );
    const teams = await api<{ teams: { slug: string; name: string }[] }>('/api/v1/teams');
    const name = teams.teams.find((team) => team.slug === regressed.team)?.name ?? regressed.team;
    await visit('overview-regression', '/', async (page) => {
      const first = page.getByRole('region', { name: 'Where to look first' }).getByRole('listitem').first();
      await first.getByRole('link', { name }).waitFor();
      await first
        .getByText(new RegExp(`\\(${(regressed.change.leadTime.ratio ?? 0).toFixed(1)}×\\)`))
        .waitFor();
      const table = page.getByRole('table', { name: /teams and the organisation/ });
      await table.locator('tbody .change').first().waitFor();
      // Five figures per row, each with its change (or why there is none), the organisation row too.
      assert.equal(
        await table
          .locator('tr')
          .filter({ has: page.locator('.figure-cell') })
          .count(),
        metrics.teams.length + 1,
      );
      assert.equal(await table.locator('.figure-cell .change').count(), (metrics.teams.length + 1) * 5);
    });
    await visit('team-regressed', `/teams/${regressed.team}`, async (page) => {
      const cards = page.locator('.metric-card');
      await cards.first().locator('.change').waitFor();
      assert.equal(await cards.count(), 5);
      for (let index = 0; index < 5; index += 1) await cards.nth(index).locator('.change').waitFor();
      await cards.filter({ hasText: 'Lead time for changes' }).getByText('worse').waitFor();
    });
  });

  test('drill-down: sorting and paging live in the URL; durations sort largest first', async () => {
    type Page = { total: number; samples: { leadTimeHours: number }[] };
    const rows = await api<Page>(
      '/api/v1/teams/search/metrics/leadTime/samples?period=last-30d&sort=leadTimeHours&order=desc&limit=100',
    );
    assert.ok(rows.total > 50, 'more than one page');
    await visit('drill-down-sorted', '/teams/search?drill=leadTime', async (page) => {
      const table = page.getByRole('table', { name: /changes, oldest first/ });
      await table.waitFor();
      await table.getByRole('link', { name: /^Lead time/ }).click();
      await page.waitForURL(/sort=leadTimeHours&order=desc/);
      const firstCell = page
        .getByRole('table', { name: /by Lead time/ })
        .locator('tbody tr')
        .first()
        .locator('td')
        .nth(1);
      await firstCell
        .getByText(formatHours(rows.samples[0]?.leadTimeHours ?? null), { exact: true })
        .waitFor();
      await page.getByRole('link', { name: 'Next 50' }).click();
      await page.waitForURL(/page=2/);
      const second = page
        .getByRole('table', { name: /rows 51–/ })
        .locator('tbody tr')
        .first()
        .locator('td')
        .nth(1);
      await second.getByText(formatHours(rows.samples[50]?.leadTimeHours ?? null), { exact: true }).waitFor();
    });
  });

  for (const url of [
    '/',
    '/teams/search?drill=leadTime',
    '/waiting',
    '/data-sources',
    '/surveys/devex-2026-q4/results',
  ]) {
    test(`at 390 px ${url} never scrolls sideways; the navigation folds behind Menu`, async () => {
      await visit(
        `mobile${url.replace(/\W+/g, '-')}`,
        url,
        async (page) => {
          await page.locator('main h1').first().waitFor();
          await page.locator('table, .status-empty').first().waitFor();
          await page.waitForLoadState('networkidle');
          const widths = (await page.evaluate(
            // Runs in the page: the server's tsconfig has no DOM types.
            '({ page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth })',
          )) as { page: number; viewport: number };
          assert.ok(
            widths.page <= widths.viewport,
            `${url} is ${widths.page} px wide at ${widths.viewport} px`,
          );
          const nav = page.getByRole('navigation', { name: 'Main' });
          assert.equal(await nav.isVisible(), false);
          await page.getByRole('button', { name: 'Menu' }).click();
          await nav.getByRole('link', { name: 'Waiting on others' }).waitFor();
          const region = page
            .getByRole('region')
            .filter({ has: page.locator('table') })
            .first();
          if ((await region.count()) > 0)
            await page
              .getByText(/Scroll the table sideways/)
              .first()
              .waitFor();
        },
        390,
      );
    });
  }
});
