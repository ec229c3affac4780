import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { formatCount, formatHours, formatPerWeek } from '../../web/src/lib/format.ts';
import { formatHoursPerWeek, VERDICT_TITLE } from '../../web/src/features/friction/friction-format.ts';
import type {
  FrictionReport,
  ReadinessReport,
  RecommendationsReport,
} from '../../web/src/features/friction/friction.types.ts';
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
async function visit(name: string, url: string, check: (page: Page) => Promise<void>): Promise<void> {
  const { page, errors } = await openPage(browser);
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
      await page.getByRole('link', { name: /Lead time for changes/ }).click();
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

  test('overview: where to look first is the server’s friction ranking', async () => {
    const friction = await api<FrictionReport>('/api/v1/friction?period=last-30d');
    const top = friction.frictions.find((row) => row.hoursPerWeek !== null && row.hoursPerWeek > 0);
    assert.ok(top, 'the demo has friction');
    await visit('overview-attention', '/', async (page) => {
      const panel = page.getByRole('region', { name: 'Where to look first' });
      const first = panel.getByRole('listitem').first();
      await first.getByText(top.friction.title).waitFor();
      await first.getByText(formatHoursPerWeek(top.hoursPerWeek), { exact: false }).first().waitFor();
      await panel.getByText(/Slowest request categories/).waitFor();
    });
  });

  test('what to build next: the verdict, the ranking and capabilities as the API computed them; drill-down', async () => {
    const friction = await api<FrictionReport>('/api/v1/friction');
    const readiness = await api<ReadinessReport>('/api/v1/readiness');
    const recommendations = await api<RecommendationsReport>('/api/v1/recommendations');
    assert.equal(friction.period, '2026-Q4');
    await visit('build-next', '/build-next', async (page) => {
      await page.getByRole('heading', { name: `Readiness: ${VERDICT_TITLE[readiness.verdict]}` }).waitFor();
      const table = page.getByRole('table', { name: 'Friction points ranked by hours lost' });
      const rows = table.locator(':scope > tbody > tr');
      await rows.first().waitFor();
      for (const [i, row] of friction.frictions.slice(0, 3).entries()) {
        const line = rows.nth(i);
        await line.getByRole('rowheader', { name: row.friction.title }).waitFor();
        await line.getByText(formatHoursPerWeek(row.hoursPerWeek), { exact: true }).first().waitFor();
      }
      // The top figure opens the teams behind it, each with its own figure and the rows behind it.
      const top = friction.frictions[0]!;
      await rows
        .first()
        .getByRole('button', { name: formatHoursPerWeek(top.hoursPerWeek) })
        .click();
      const breakdown = page.getByRole('table', { name: `${top.friction.title} by team` });
      const costliest = [...top.teams].sort((a, b) => (b.hoursPerWeek ?? -1) - (a.hoursPerWeek ?? -1))[0]!;
      const teamRow = breakdown.getByRole('row', { name: new RegExp(`^${costliest.team.name}`) });
      await teamRow.getByText(formatHoursPerWeek(costliest.hoursPerWeek), { exact: false }).first().waitFor();
      const evidence = teamRow.getByRole('link').nth(1);
      const href = await evidence.getAttribute('href');
      assert.ok(href?.startsWith('/api/v1/'), String(href));
      const behind = await fetch(`${server.url}${href}`);
      assert.equal(behind.status, 200, `${href} answered ${behind.status}`);
      const capabilities = page.getByRole('table', { name: 'Capabilities ranked by payback' });
      const firstCapability = recommendations.recommendations[0]!;
      await capabilities
        .locator('tbody tr')
        .first()
        .getByRole('rowheader', { name: new RegExp(`^${firstCapability.capability.title}`) })
        .waitFor();
      await capabilities
        .getByText(formatHoursPerWeek(firstCapability.recoveredHoursPerWeek))
        .first()
        .waitFor();
    });
  });

  test('team page: its top friction, which differs by team in the demo', async () => {
    const top = async (team: string) =>
      (await api<FrictionReport>(`/api/v1/friction?period=last-30d&team=${team}`)).frictions[0]!;
    const checkout = await top('checkout');
    const search = await top('search');
    assert.notEqual(checkout.friction.id, search.friction.id);
    await visit('team-checkout-friction', '/teams/checkout?period=last-30d', async (page) => {
      const panel = page.getByRole('region', { name: 'Top friction' });
      const first = panel.getByRole('listitem').first();
      await first.getByText(checkout.friction.title).waitFor();
      await first.getByText(formatHoursPerWeek(checkout.hoursPerWeek), { exact: false }).first().waitFor();
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
});
