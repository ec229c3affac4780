import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { formatMinutes } from '../../web/src/features/metrics/ci-figures.ts';
import { formatCount, formatHours, formatPerWeek, formatRate } from '../../web/src/lib/format.ts';
import { formatHoursPerWeek, VERDICT_TITLE } from '../../web/src/features/friction/friction-format.ts';
import type {
  FrictionReport,
  ReadinessReport,
  RecommendationsReport,
} from '../../web/src/features/friction/friction.types.ts';
import type { SurveyResultsByTeam as SurveyResults } from '../../web/src/features/surveys/surveys.types.ts';
import { runCli, startServer } from '../cli-process.ts';
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
/** One-time survey links for checkout, issued before the server starts (the CLI shares its data folder). */
let surveyLinks: string[] = [];

async function api<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${server.url}${pathAndQuery}`);
  assert.equal(response.status, 200, `${pathAndQuery} answered ${response.status}`);
  return (await response.json()) as T;
}

/** "Where to look first" opens with the regression the alerting confirmed: the team, its change, a link. */
async function regressionFirst(page: Page, team: string): Promise<void> {
  const first = page.getByRole('region', { name: 'Where to look first' }).getByRole('listitem').first();
  await first.getByText('Regressed').waitFor();
  assert.match((await first.textContent()) ?? '', /lead time .* → .* \+\d+ %/);
  assert.match(
    (await first.getByRole('link').first().getAttribute('href')) ?? '',
    new RegExp(`^/teams/${team}\\?`),
  );
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
    const env = {
      GROUNDWORK_AUTH_MODE: 'open',
      GROUNDWORK_DATA_DIR: path.join(cwd, 'data'),
      PORT: '0',
      GROUNDWORK_NOW: NOW,
      LOG_LEVEL: 'warn',
    };
    const links = runCli(
      [
        'survey',
        'links',
        '--survey',
        'devex-2026-q4',
        '--team',
        'checkout',
        '--count',
        '6',
        '--base-url',
        '',
      ],
      { cwd, env },
    );
    assert.equal(links.status, 0, links.stderr);
    surveyLinks = links.stdout.trim().split('\n');
    server = await startServer({ cwd, env });
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
      // A cold quarter on PGlite (its figures, the previous quarter's and the friction trend) can take a
      // while on CI's two shared cores.
      await page
        .getByText(formatCount(quarter.deploymentFrequency.count, 'deployment'))
        .first()
        .waitFor({ timeout: 90_000 });
      await page.getByLabel(/Team/).first().selectOption('checkout');
      await page.waitForURL(/\/teams\/checkout\?period=2026-Q3/);
      await page.getByRole('heading', { level: 1, name: /Checkout/ }).waitFor();
      await page.getByText(formatCount(checkout.deploymentFrequency.count, 'deployment')).first().waitFor();
    });
  });

  test('survey: a one-time link answers for its team; published counts move only in steps of 5', async () => {
    const id = 'devex-2026-q4';
    type Results = {
      teams: { team: { slug: string }; result: { suppressed: boolean; responses?: number } }[];
    };
    const responses = async () =>
      (await api<Results>(`/api/v1/surveys/${id}/results?groupBy=team`)).teams.find(
        (team) => team.team.slug === 'checkout',
      )?.result.responses;
    const before = await responses();
    assert.ok(before !== undefined && before >= 5 && before % 5 === 0, `checkout shows ${String(before)}`);
    const [link, ...more] = surveyLinks;
    await visit('survey-form', link!, async (page) => {
      await page.getByText('Answering for team').getByText('Checkout').waitFor();
      await page.getByRole('radio').first().check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    });
    // While the round is open, one more answer never shows: the published count stays until checkout has
    // answered up to the next multiple of 5, then moves by 5.
    let sent = 1;
    let now = await responses();
    for (const next of more) {
      if (now !== before) break;
      const token = decodeURIComponent(/token=([^&]+)/.exec(next)?.[1] ?? '');
      const response = await fetch(`${server.url}/api/v1/surveys/${id}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, answers: { 'focus-time': 4, 'hours-searching': sent } }),
      });
      assert.equal(response.status, 201, await response.text());
      sent += 1;
      now = await responses();
    }
    assert.equal(now, before + 5, `after ${sent} answers`);
    assert.ok(sent <= 5);
    await visit('survey-results', `/surveys/${id}/results`, async (page) => {
      const row = page.getByRole('row', { name: /^Checkout/ }).first();
      await row
        .getByText(String(before + 5))
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
      const first = panel
        .getByRole('list', { name: 'Friction points by hours lost' })
        .getByRole('listitem')
        .first();
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

  // "Where to look first" opens with the confirmed regressions (open alerts), then the server's friction
  // ranking (its own test above); the regressed team's delta also shows in the teams table and on its cards.
  test('the demo’s regressed team: every figure with its change, its lead time worse', async () => {
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
    await visit('overview-regression', '/', async (page) => {
      await regressionFirst(page, regressed.team);
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
    await visit('overview-regression-390', '/', (page) => regressionFirst(page, regressed.team), 390);
    await visit('team-regressed', `/teams/${regressed.team}`, async (page) => {
      // The five DORA cards (Build and test, further down, has cards of its own).
      const cards = page.locator('ul.metric-cards').first().locator('.metric-card');
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
  test('alerts: the regressed team has an open lead-time alert with what drove it, marked on its chart', async () => {
    const open = await api<{
      alerts: { id: number; metric: string; team: { slug: string; name: string } }[];
    }>('/api/v1/alerts?status=open');
    assert.deepEqual(
      open.alerts.map((alert) => [alert.team.slug, alert.metric]),
      [['search', 'leadTime']],
    );
    const alert = open.alerts[0] as (typeof open.alerts)[number];
    await visit('alerts', '/alerts', async (page) => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Alerts 1 open' })
        .waitFor();
      const card = page.getByRole('article', { name: new RegExp(`^Lead time: ${alert.team.name}`) });
      await card.waitFor();
      await card.getByText(/The stage that moved/).waitFor();
      assert.equal(
        await card
          .getByRole('list', { name: /Slowest in the window/ })
          .locator('li')
          .count(),
        5,
      );
    });
    await visit('team-alert-marker', `/teams/${alert.team.slug}`, async (page) => {
      // A vertical line has no width: Playwright calls it hidden, so wait for it to be there, and see its label.
      await page.locator('.alert-marker-fired').first().waitFor({ state: 'attached' });
      await page.getByText('alert fired', { exact: true }).waitFor();
      await page.getByRole('link', { name: 'Lead-time alert' }).waitFor();
    });
  });

  test('team page: Build and test shows the slow, flaky builds and the runs behind them', async () => {
    type Ci = {
      ci: { pullRequest: { medianMinutes: number | null }; flakyRate: number | null; attempts: number };
    };
    const { ci } = await api<Ci>('/api/v1/teams/checkout/metrics?period=last-30d');
    assert.ok(ci.attempts > 0, 'the demo has CI runs for checkout');
    await visit('team-build-and-test', '/teams/checkout?period=last-30d', async (page) => {
      const section = page.getByRole('region', { name: 'Build and test' });
      await section.getByText(formatMinutes(ci.pullRequest.medianMinutes), { exact: true }).first().waitFor();
      await section.getByText(formatRate(ci.flakyRate), { exact: true }).first().waitFor();
      await section.getByRole('link', { name: 'Show the runs behind it' }).first().click();
      await page.waitForURL(/drill=ci/);
      await page.getByRole('heading', { name: 'Behind “Build and test”' }).waitFor();
      await page.locator('table.samples-table tbody tr').first().waitFor();
    });
  });
  // --- drill-down links ---
  test('drill-down links: every number opens the rows behind it; the rows link out to their source', async () => {
    await visit('drill-links-overview', '/?period=last-30d', async (page) => {
      const table = page.getByRole('table', { name: /teams and the organisation/ });
      await table.locator('tfoot .change').first().waitFor();
      // Every figure, change and sample size of every row, the organisation's and the CI column too.
      const cells = await table.locator('.figure-cell').count();
      assert.ok(cells > 0);
      assert.equal(await table.locator('.figure-cell .figure-value a[href*="drill="]').count(), cells);
      assert.equal(
        await table.locator('.figure-cell .change:not(.change-none) a[href*="drill="]').count(),
        await table.locator('.figure-cell .change:not(.change-none)').count(),
      );
      assert.equal(
        await table.locator('.figure-cell .figure-sample a[href*="drill="]').count(),
        await table.locator('.figure-cell .figure-sample').count(),
      );
      await table
        .locator('tfoot')
        .getByRole('link', { name: /lead time for changes/ })
        .click();
      await page.waitForURL(/drill=leadTime/);
      const rows = page.getByRole('table', { name: /changes, oldest first/ });
      await rows.getByRole('columnheader', { name: /^Team/ }).waitFor();
      await rows.locator('tbody tr').first().waitFor();
      // Where to look first: a friction point's hours open its breakdown by team on What to build next.
      const attention = page.getByRole('region', { name: 'Where to look first' });
      await attention
        .getByRole('list', { name: 'Friction points by hours lost' })
        .getByRole('listitem')
        .first()
        .getByRole('link')
        .first()
        .click();
      await page.waitForURL(/\/build-next\?period=last-30d&friction=/);
      await page.getByRole('table', { name: / by team$/ }).waitFor();
    });
    await visit(
      'drill-links-team',
      '/teams/checkout?period=last-30d&drill=deploymentFrequency',
      async (page) => {
        const cards = page.locator('.metric-card');
        await cards.first().locator('.change').waitFor();
        for (const part of ['.metric-value', '.metric-sample']) {
          assert.equal(await cards.locator(`${part} a[href*="drill="]`).count(), await cards.count(), part);
        }
        const out = page.locator('table.samples-table tbody a.source-link').first();
        await out.waitFor();
        assert.match((await out.getAttribute('href')) ?? '', /^https:\/\/deploy\.acme\.example\//);
        assert.equal(await out.getAttribute('rel'), 'noopener noreferrer');
        assert.equal(await out.getAttribute('target'), '_blank');
      },
    );
  });

  // --- trends ---
  /** Whether the page scrolls sideways as a whole (evaluated in the page: the server has no DOM types). */
  const sideways = async (page: Page) =>
    (await page.evaluate(
      'document.documentElement.scrollWidth > document.documentElement.clientWidth',
    )) as boolean;

  for (const width of [1440, 390] as const) {
    test(`trends at ${width} px: five weekly DORA charts over tier bands, a partial week, the CI chart`, async () => {
      type Series = { points: { week: string; partial: boolean }[]; tiers: Record<string, unknown> };
      const series = await api<Series>(
        '/api/v1/teams/checkout/metrics/series?period=last-30d&interval=week&weeks=26',
      );
      assert.equal(series.points.length, 26, 'the demo has six months of data');
      assert.equal(series.points.at(-1)?.partial, true, 'the week still running is partial');
      await visit(
        `trends-${width}`,
        '/teams/checkout?period=last-30d',
        async (page) => {
          const trends = page.getByRole('region', { name: 'Weekly trends' });
          await trends.getByLabel('Trend range').waitFor();
          const tiered = [
            'Deployment frequency',
            'Lead time for changes',
            'Change failure rate',
            'Failed deployment recovery time',
          ];
          for (const title of [...tiered, 'Rework rate']) {
            const chart = trends
              .locator('figure')
              .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
            await chart.locator('.recharts-surface').first().waitFor();
            // Every week is in the chart's table, the partial one marked.
            assert.equal(await chart.locator('.chart-table tbody tr').count(), series.points.length, title);
            await chart
              .locator('.chart-table th', { hasText: '(partial)' })
              .first()
              .waitFor({ state: 'attached' });
            if (tiered.includes(title)) {
              await chart.locator('.tier-band').first().waitFor({ state: 'attached' });
              await chart.getByRole('list', { name: 'Tier bands' }).waitFor();
            }
          }
          assert.ok((await trends.locator('.week-dot-partial').count()) > 0, 'partial weeks drawn hollow');
          if (width === 1440) {
            // The tooltip of the week still running says it is partial.
            await trends.locator('.week-dot-partial').first().hover({ force: true });
            await trends
              .getByText(/^partial week:/)
              .first()
              .waitFor();
          }
          assert.equal(await trends.locator('.week-bar-partial').count(), 1, 'one partial bar');
          const ci = page.getByRole('region', { name: 'Build and test' });
          await ci
            .locator('figure', { hasText: 'CI week by week' })
            .locator('.recharts-surface')
            .first()
            .waitFor();
          await page.waitForLoadState('networkidle');
          assert.equal(await sideways(page), false, `the team page scrolls sideways at ${width} px`);
        },
        width,
      );
    });
  }

  test('trends: 52 weeks start where the demo data does; the Waiting page charts its weekly series', async () => {
    const year = await api<{ points: unknown[]; dataFrom: string }>(
      '/api/v1/teams/checkout/metrics/series?period=last-30d&interval=week&weeks=52',
    );
    assert.ok(year.points.length < 52, 'no weeks before the data begins');
    await visit('trends-52', '/teams/checkout?period=last-30d&weeks=52', async (page) => {
      const trends = page.getByRole('region', { name: 'Weekly trends' });
      await trends.getByText(/the team’s data begins/).waitFor();
      assert.equal(await trends.getByLabel('Trend range').inputValue(), '52');
    });
    type WaitSeries = { series: { points: { partial: boolean }[] }[] };
    const waits = await api<WaitSeries>('/api/v1/tickets/wait-times/series?period=last-30d&groupBy=category');
    const weeks = waits.series[0]?.points.length ?? 0;
    assert.ok(weeks > 0);
    await visit('waiting-weekly', '/waiting', async (page) => {
      const chart = page.locator('figure').filter({ hasText: 'Wait before start week by week' });
      await chart.locator('.recharts-surface').first().waitFor();
      assert.equal(await chart.locator('.chart-table tbody tr').count(), weeks);
      await chart.locator('.week-dot-partial').first().waitFor({ state: 'attached' });
    });
  });

  // --- survey panels ---
  test('survey results: every question kind, the legend, every driver at 1440 px, few-responses marks', async () => {
    const id = 'devex-2026-q4';
    const results = await api<SurveyResults>(`/api/v1/surveys/${id}/results?groupBy=team`);
    const org = results.organization.result;
    assert.ok(!org.suppressed, 'the demo organisation answers the survey');
    const kinds = org.choices.filter((choice) => !choice.result.suppressed);
    assert.ok(kinds.length >= 2 && org.hoursLost.length > 0, 'the demo has choice and hours questions');
    const weakest = [...org.drivers]
      .flatMap((d) => (d.result.suppressed ? [] : [{ title: d.title, percent: d.result.favourablePercent }]))
      .sort((a, b) => a.percent - b.percent)[0]!;
    const few = results.teams.some(
      (team) =>
        !team.result.suppressed &&
        team.result.drivers.some((d) => !d.result.suppressed && d.result.fewResponses),
    );
    assert.ok(few, 'the demo has teams of 5–9 respondents');
    await visit('survey-results-kinds', `/surveys/${id}/results?period=last-30d`, async (page) => {
      await page.getByText(/^Survey round:/).waitFor();
      await page.getByText(/is the round that overlaps the last 30 days/).waitFor();
      // Single and multiple choice: ranked bars in the server's order, the top option first.
      for (const choice of kinds) {
        if (choice.result.suppressed) continue;
        const top = choice.result.options.find((option) => option.rank === 1)!;
        const section = page.getByRole('region', { name: choice.text });
        await section.locator('.choice-bars li').first().getByText(top.label, { exact: true }).waitFor();
        assert.equal(await section.locator('.choice-bar').count(), choice.result.options.length);
      }
      await page.getByRole('table', { name: /Hours lost per week by team and category/ }).waitFor();
      await page.getByRole('list', { name: /Colour legend/ }).waitFor();
      const heatmap = page.getByRole('region', { name: /% favourable by team and driver/ });
      await heatmap.locator('.few-responses').first().waitFor();
      const header = heatmap.getByRole('columnheader', { name: weakest.title });
      await header.waitFor();
      // Typed structurally: the server's tsconfig has no DOM types.
      const widths = await heatmap.evaluate((region: { scrollWidth: number; clientWidth: number }) => ({
        scroll: region.scrollWidth,
        client: region.clientWidth,
      }));
      assert.ok(widths.scroll <= widths.client, `the heatmap scrolls: ${widths.scroll} > ${widths.client}`);
      const box = await header.boundingBox();
      assert.ok(box && box.x + box.width <= 1440, `${weakest.title} is outside the window`);
      // Free text stays out unless the organisation opts in (the demo does not).
      await page.getByText(/Free-text answers are not shown/).waitFor();
    });
  });

  test('survey panels follow the period: the round and why on the team page and the overview, or none', async () => {
    type Listing = { forPeriod: { surveyId: string | null; reason: string } };
    const recent = (await api<Listing>('/api/v1/surveys?period=last-30d')).forPeriod;
    const may = (await api<Listing>('/api/v1/surveys?period=2026-05')).forPeriod;
    assert.deepEqual([recent.surveyId, may.surveyId], ['devex-2026-q4', null]);
    const friction = await api<FrictionReport>('/api/v1/friction?period=last-30d');
    await visit('survey-round-team', '/teams/checkout?period=last-30d', async (page) => {
      const panel = page.getByRole('region', { name: 'Survey drivers' });
      await panel.getByText(recent.reason).waitFor();
      await panel.locator('.few-responses').first().waitFor();
      await page.goto(`${server.url}/teams/checkout?period=2026-05`);
      await page.getByRole('region', { name: 'Survey drivers' }).getByText(may.reason).waitFor();
    });
    await visit('survey-round-overview', '/', async (page) => {
      const panel = page.getByRole('region', { name: 'Where to look first' });
      await panel.getByText(friction.surveyRound!.note, { exact: false }).waitFor();
    });
  });
});
