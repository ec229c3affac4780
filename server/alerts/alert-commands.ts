import { parseArgs } from 'node:util';
import { AppError } from '../errors.ts';
import { describeBacktest } from './backtest.ts';
import { backtestRule, sendTestMessage } from './alerts.service.ts';
import { evaluateAlerts } from './evaluator.ts';
import type { AlertsContext, EvaluationReport } from './evaluator.ts';
import { drainOutbox } from './outbox.ts';

export type AlertCommand =
  | { action: 'evaluate'; dryRun: boolean }
  | { action: 'backtest'; rule: string; days: number }
  | { action: 'test-channel'; channel: string };

export interface AlertCommandOutput {
  stdout: string[];
  stderr: string[];
  exitCode: 0 | 1;
}

/** `alerts evaluate|backtest|test-channel` arguments → a command, or a usage problem as text. */
export function parseAlertCommand(args: string[]): AlertCommand | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { 'dry-run': { type: 'boolean' }, rule: { type: 'string' }, days: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (action === 'evaluate' && rest.length === 0) return { action, dryRun: values['dry-run'] ?? false };
  if (action === 'backtest' && rest.length === 0) {
    if (!values.rule) return '--rule expects the name of a rule in alerts.rules';
    const days = values.days ?? '365';
    if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 1095) {
      return `--days expects a whole number of days from 1 to 1095, got "${days}"`;
    }
    return { action, rule: values.rule, days: Number(days) };
  }
  if (action === 'test-channel' && rest.length === 1) return { action, channel: rest[0] as string };
  return 'expected "alerts evaluate [--dry-run]", "alerts backtest --rule NAME [--days N]" or "alerts test-channel NAME"';
}

export function describeEvaluation(report: EvaluationReport): string[] {
  const lines = [`${report.dryRun ? 'Dry run: would evaluate' : 'Evaluated'} as of ${report.asOf}`];
  for (const rule of report.rules) {
    const { fires, within, unconfirmed } = rule.outcomes;
    lines.push(
      `  rule ${rule.rule} (${rule.metric}): ${fires} regressed, ${within} within the threshold, ${unconfirmed} not significant, ${rule.outcomes['too-few']} with too few samples`,
    );
    for (const action of rule.actions) {
      lines.push(
        `    ${action.team}: ${action.kind}${action.alertId === null ? '' : ` #${action.alertId}`} — ${action.message}`,
      );
    }
  }
  return lines;
}

export async function runAlertCommand(
  ctx: AlertsContext,
  command: AlertCommand,
): Promise<AlertCommandOutput> {
  switch (command.action) {
    case 'evaluate': {
      const evaluation = await evaluateAlerts(ctx, { dryRun: command.dryRun });
      if (!evaluation.ran) return { stdout: [], stderr: [`groundwork: ${evaluation.reason}`], exitCode: 1 };
      const stdout = describeEvaluation(evaluation.report);
      if (command.dryRun) return { stdout, stderr: [], exitCode: 0 };
      // What the evaluation queued goes out now; what fails stays in the outbox for the server's retries.
      const drained = await drainOutbox({ db: ctx.db, clock: ctx.clock, channels: ctx.config.alertChannels });
      if (!drained.ran) {
        stdout.push(`Notifications: left to the running drain (${drained.reason})`);
        return { stdout, stderr: [], exitCode: 0 };
      }
      const { delivered, failed } = drained.result;
      stdout.push(`Notifications: ${delivered} delivered, ${failed.length} to retry`);
      const stderr = failed.map((f) => `groundwork: ${f.channel} delivery ${f.deliveryId}: ${f.error}`);
      return { stdout, stderr, exitCode: 0 };
    }
    case 'backtest':
      try {
        return {
          stdout: describeBacktest(await backtestRule(ctx, command.rule, command.days)),
          stderr: [],
          exitCode: 0,
        };
      } catch (error) {
        if (error instanceof AppError)
          return { stdout: [], stderr: [`groundwork: ${error.message}`], exitCode: 1 };
        throw error;
      }
    case 'test-channel': {
      const problem = await sendTestMessage(ctx.config, command.channel);
      return problem === null
        ? { stdout: [`Test message delivered to ${command.channel}`], stderr: [], exitCode: 0 }
        : { stdout: [], stderr: [`groundwork: ${command.channel}: ${problem}`], exitCode: 1 };
    }
  }
}
