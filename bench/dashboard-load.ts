import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One dashboard page as the browser loads it: its API calls, fired together. */
export interface Page {
  name: string;
  urls: string[];
}

export interface CallStats {
  p50: number;
  p99: number;
  count: number;
}

export interface LoadResult {
  /** Per page: the time until its last call answered. */
  pages: Map<string, CallStats>;
  /** Per call path (query string kept), across pages. */
  calls: Map<string, CallStats>;
  statuses: Map<number, number>;
  /** Requests that failed without an HTTP answer (connection refused or reset, timeout). */
  failures: number;
}

function stats(timings: number[]): CallStats {
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), count: sorted.length };
}

/**
 * The simulated users' connections: kept alive, as a browser keeps them. Answers are read as they arrive,
 * gzipped as a browser asks for them, and not unpacked: a user's browser does that on its own machine, and
 * on this one it would take the CPU the server is being measured on.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function call(
  base: string,
  url: string,
  record: (url: string, ms: number, status: number | null) => void,
): Promise<void> {
  const start = performance.now();
  return new Promise((resolve) => {
    const request = http.get(
      base + url,
      { agent, headers: { 'accept-encoding': 'gzip' }, timeout: 30_000 },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => {
          record(url, performance.now() - start, response.statusCode ?? null);
          resolve();
        });
        response.on('error', () => {
          record(url, performance.now() - start, null);
          resolve();
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => {
      record(url, performance.now() - start, null);
      resolve();
    });
  });
}

/**
 * `clients` simulated users, each opening the given pages one after another `rounds` times, every page's
 * calls in parallel like the browser (no client-side caching: every load asks the server again).
 */
export async function loadPages(
  base: string,
  pages: readonly Page[],
  options: { clients: number; rounds: number },
): Promise<LoadResult> {
  const pageTimes = new Map<string, number[]>();
  const callTimes = new Map<string, number[]>();
  const statuses = new Map<number, number>();
  let failures = 0;
  const record = (url: string, ms: number, status: number | null) => {
    if (status === null) failures += 1;
    else statuses.set(status, (statuses.get(status) ?? 0) + 1);
    callTimes.set(url, [...(callTimes.get(url) ?? []), ms]);
  };
  const client = async (index: number) => {
    for (let round = 0; round < options.rounds; round++) {
      // Clients start on different pages so they do not move in lockstep.
      for (let p = 0; p < pages.length; p++) {
        const page = pages[(p + index) % pages.length] as Page;
        const start = performance.now();
        await Promise.all(page.urls.map((url) => call(base, url, record)));
        pageTimes.set(page.name, [...(pageTimes.get(page.name) ?? []), performance.now() - start]);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  return {
    pages: new Map([...pageTimes].map(([name, times]) => [name, stats(times)])),
    calls: new Map([...callTimes].map(([url, times]) => [url, stats(times)])),
    statuses,
    failures,
  };
}

/**
 * Loads every page, one call at a time, until a whole round is answered from kept answers (`x-cache: hit`
 * wherever the route keeps them): the first round computes, and what it stores on the way (lead-time facts,
 * closed periods, scorecard months) is a write that makes the next round compute once more. Returns the
 * rounds it took.
 */
export async function warmUp(base: string, pages: readonly Page[], maxRounds = 5): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    let kept = true;
    for (const url of new Set(pages.flatMap((page) => page.urls))) {
      const response = await fetch(base + url);
      await response.arrayBuffer();
      if (response.headers.get('x-cache') === 'miss') kept = false;
    }
    if (kept) return round;
  }
  return maxRounds;
}

/** The highest resident set size a process reached (Linux VmHWM), in MiB; null where /proc is missing. */
export function peakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : null;
  } catch {
    return null;
  }
}

/** The dashboard's pages and their API calls, as web/src/features/* issue them for `period`. */
export async function dashboardPages(base: string, period: string, team: string): Promise<Page[]> {
  const json = async <T>(url: string) => {
    const response = await fetch(base + url);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const q = `period=${period}`;
  const org = await json<{ organization: { from: string; to: string } }>(`/api/v1/metrics?${q}`);
  const start = Date.parse(org.organization.from);
  const length = Date.parse(org.organization.to) - start;
  const previous = `from=${new Date(start - length).toISOString()}&to=${new Date(start).toISOString()}`;
  const list = await json<{ surveys: { id: string; quarter: string; status: string }[] }>('/api/v1/surveys');
  const survey = list.surveys
    .filter((s) => s.status !== 'upcoming')
    .sort((a, b) => b.quarter.localeCompare(a.quarter))[0];
  const surveyCalls = survey
    ? ['/api/v1/surveys', `/api/v1/surveys/${survey.id}/results?groupBy=driver`]
    : ['/api/v1/surveys'];
  const t = `/api/v1/teams/${team}`;
  return [
    {
      name: 'overview',
      urls: [
        `/api/v1/metrics?${q}&groupBy=team`,
        '/api/v1/teams',
        `/api/v1/scorecards?${q}`,
        `/api/v1/metrics?${previous}&groupBy=team`,
        `/api/v1/tickets/wait-times?${q}&groupBy=requestingTeam`,
        `/api/v1/tickets/wait-times?${q}&groupBy=category`,
        ...surveyCalls,
      ],
    },
    {
      name: 'team',
      urls: [`${t}/metrics?${q}`, `${t}/metrics/series?${q}&interval=week`, `${t}/scorecards?${q}`],
    },
    {
      name: 'team drill-down',
      urls: [`${t}/metrics/leadTime/samples?${q}&limit=50&offset=0`],
    },
    { name: 'waiting on others', urls: [`/api/v1/tickets/wait-times?${q}&groupBy=requestingTeam`] },
    {
      name: 'survey results',
      urls: survey ? [`/api/v1/surveys/${survey.id}/results?groupBy=team`] : ['/api/v1/surveys'],
    },
    { name: 'data sources', urls: ['/api/v1/data-sources', '/api/v1/collectors'] },
  ];
}

/** The team page's own calls (the ones whose target is p99 < 50 ms). */
export const TEAM_CALL = /^\/api\/v1\/teams\/[^/]+\/(metrics|metrics\/series|scorecards)\?/;
