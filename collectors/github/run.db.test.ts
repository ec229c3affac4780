import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, AttributeValue, Span, SpanContext, SpanOptions, Tracer } from '@opentelemetry/api';
import { fixedClock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { parseCollectCommand, progressLine, runCollectCommand } from './collect-command.ts';
import { runGithubCollector } from './collector.ts';
import type { GithubProgress } from './collector.ts';
import { smallOrganization } from './fixtures/small-org.ts';
import { configFor, fastClient, interceptedClient, SMALL_ORGANIZATION } from './fixtures/test-setup.ts';

const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));
let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer(smallOrganization());
  config = configFor(server.url, SMALL_ORGANIZATION);
});
after(async () => {
  await server.close();
  await handle.close();
});

describe('collect github: arguments', () => {
  test('--repo and --since are parsed; a bad value names the option', () => {
    assert.deepEqual(parseCollectCommand(['github', '--repo', 'acme/web', '--since', '2026-11-01']), {
      source: 'github',
      repository: 'acme/web',
      since: new Date('2026-11-01T00:00:00Z'),
    });
    assert.equal(parseCollectCommand(['gitlab']), 'expected "collect github"');
    assert.match(String(parseCollectCommand(['github', '--repo', 'web'])), /--repo expects owner\/name/);
    assert.match(String(parseCollectCommand(['github', '--since', '2026-02-30'])), /--since expects a date/);
  });

  test('the progress bar shows repositories done of total, items and rate-limit points left', () => {
    const progress: GithubProgress = {
      repositoriesDone: 2,
      repositoriesTotal: 5,
      items: 1234,
      rateLimitRemaining: 4870,
      repository: 'acme/web',
      error: null,
      repositoryFinished: true,
    };
    assert.equal(
      progressLine(progress),
      '[########------------] 2/5 repositories · 1,234 items · 4,870 points left · acme/web',
    );
  });
});

describe(`collect github: a run (${testEngine})`, () => {
  test('reports progress page by page, then the run; a failed repository makes the exit code 1', async () => {
    const lines: string[] = [];
    const updates: GithubProgress[] = [];
    const exitCode = await runCollectCommand(
      { db: handle.db, config, clock, client: fastClient(config, clock) },
      { source: 'github', repository: null, since: null },
      { out: (line) => lines.push(line), progress: (progress) => updates.push(progress) },
    );
    assert.equal(exitCode, 1);
    const finished = updates.filter((u) => u.repositoryFinished);
    assert.deepEqual(
      finished.map(
        (u) => `${u.repositoriesDone}/${u.repositoriesTotal} ${u.repository} ${u.error ? 'failed' : 'ok'}`,
      ),
      [
        '1/5 acme/legacy ok',
        '2/5 acme/missing failed',
        '3/5 acme/payments ok',
        '4/5 acme/sdk ok',
        '5/5 acme/web ok',
      ],
    );
    assert.ok(updates.length > finished.length, 'updates between repositories, after each page');
    // 6 PRs, 11 shipped commits, 11 deployments, 5 releases, 3 incidents
    assert.equal(updates.at(-1)?.items, 36);
    assert.ok((updates.at(-1)?.rateLimitRemaining ?? 0) > 4900);
    assert.match(
      lines[0] ?? '',
      /^GitHub collector run 1: partial; .*"pullRequests":6.*; \d+ rate-limit points$/,
    );
    assert.match(lines[1] ?? '', /^ {2}failed: acme\/missing: /);
  });

  test('Ctrl-C stops the run between pages: exit code 130, the run recorded as failed', async () => {
    const lines: string[] = [];
    const interrupting = interceptedClient(fastClient(config, clock), () => {
      process.emit('SIGINT');
    });
    const exitCode = await runCollectCommand(
      { db: handle.db, config, clock, client: interrupting },
      // legacy's first page is followed by its workflow runs: the run stops before asking for them
      { source: 'github', repository: 'acme/legacy', since: null },
      { out: (line) => lines.push(line), progress: () => undefined },
    );
    assert.equal(exitCode, 130);
    assert.deepEqual(lines, [
      'GitHub collector interrupted: what was collected is kept, and the next run resumes from it',
    ]);
    const last = await handle.db
      .selectFrom('collectorRuns')
      .select(['status', 'error'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(last, { status: 'failed', error: 'interrupted' });
  });

  test('--repo collects one repository; nothing new: exit code 0', async () => {
    const lines: string[] = [];
    const exitCode = await runCollectCommand(
      { db: handle.db, config, clock, client: fastClient(config, clock) },
      { source: 'github', repository: 'acme/web', since: null },
      { out: (line) => lines.push(line), progress: () => undefined },
    );
    assert.equal(exitCode, 0);
    assert.match(lines[0] ?? '', /^GitHub collector run 3: success; .*; 1 rate-limit points$/);
  });
});

/** Records spans: what an OpenTelemetry SDK would export. */
class RecordedSpan implements Span {
  ended = false;
  constructor(
    readonly name: string,
    readonly attributes: Attributes,
  ) {}
  spanContext(): SpanContext {
    return { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: TraceFlags.SAMPLED };
  }
  setAttribute(key: string, value: AttributeValue) {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes) {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent() {
    return this;
  }
  addLink() {
    return this;
  }
  addLinks() {
    return this;
  }
  setStatus() {
    return this;
  }
  updateName() {
    return this;
  }
  end() {
    this.ended = true;
  }
  isRecording() {
    return true;
  }
  recordException() {}
}

class RecordingTracer implements Tracer {
  readonly spans: RecordedSpan[] = [];
  startSpan(name: string, options?: SpanOptions): Span {
    const span = new RecordedSpan(name, { ...options?.attributes });
    this.spans.push(span);
    return span;
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.at(-1) as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    return fn(this.startSpan(name, options)) as ReturnType<F>;
  }
}

describe(`OpenTelemetry spans (${testEngine})`, () => {
  test('a run, each repository and each page is a span, all ended', async () => {
    const tracer = new RecordingTracer();
    trace.setGlobalTracerProvider({ getTracer: () => tracer });
    try {
      const result = await runGithubCollector({
        db: handle.db,
        config,
        clock,
        client: fastClient(config, clock),
        repository: 'acme/legacy',
      });
      assert.ok(result.started && result.status === 'success');
    } finally {
      trace.disable();
    }
    const names = tracer.spans.map((span) => span.name);
    assert.equal(names.filter((name) => name === 'github.run').length, 1);
    const repositories = tracer.spans.filter((span) => span.name === 'github.repository');
    assert.deepEqual(
      repositories.map((span) => span.attributes['github.repository']),
      ['acme/legacy'],
    );
    // The combined first page and the workflow runs (REST): nothing else is new.
    assert.deepEqual(
      tracer.spans
        .filter((span) => span.name === 'github.page')
        .map((span) => span.attributes['github.operation']),
      ['RepositoryFirstPages', 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'],
    );
    assert.ok(tracer.spans.every((span) => span.ended));
  });
});
