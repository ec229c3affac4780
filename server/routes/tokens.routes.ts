import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import { TOKEN_SCOPES } from '../auth/api-tokens.ts';
import { requireAdmin } from '../auth/require-role.ts';
import { issueToken } from '../auth/token-service.ts';
import { listApiTokens, revokeApiToken } from '../db/api-tokens.repository.ts';
import { listAudit } from '../db/audit-log.repository.ts';
import { teamIdsBySlug } from '../db/teams.repository.ts';
import { AppError } from '../errors.ts';
import type { RouteContext } from './index.ts';
import { ErrorResponse } from './schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Scope = Type.Union(
  TOKEN_SCOPES.map((scope) => Type.Literal(scope)),
  { description: 'read (the dashboard and API reads), ingest (pushes) or admin (everything)' },
);
const TokenSummary = Type.Object({
  name: Type.String(),
  scope: Type.String(),
  team: Nullable(Type.String()),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
});
const iso = (at: Date | null) => at?.toISOString() ?? null;
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

/** Tokens and the audit log, for admins: revoking a leaked token needs no restart (and no CLI on PGlite). */
export function registerTokenRoutes(app: FastifyTypebox, context: RouteContext): void {
  const db = context.database.db;
  app.get(
    '/api/v1/tokens',
    {
      preValidation: requireAdmin,
      schema: {
        summary: 'Every API token: names, scopes and dates, never the tokens (admin)',
        tags: ['access'],
        response: { 200: Type.Object({ tokens: Type.Array(TokenSummary) }), ...errors },
      },
    },
    async () => ({
      tokens: (await listApiTokens(db)).map((token) => ({
        ...token,
        createdAt: token.createdAt.toISOString(),
        expiresAt: iso(token.expiresAt),
        lastUsedAt: iso(token.lastUsedAt),
        revokedAt: iso(token.revokedAt),
      })),
    }),
  );

  app.post(
    '/api/v1/tokens',
    {
      preValidation: requireAdmin,
      config: { audit: 'token.create' },
      schema: {
        summary: 'Create a token; it is in this response only (admin)',
        tags: ['access'],
        body: Type.Object(
          {
            name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,62}$', description: 'e.g. ci, grafana' }),
            scope: Scope,
            team: Type.Optional(
              Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'read scope: a team lead of it' }),
            ),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            name: Type.String(),
            scope: Type.String(),
            team: Nullable(Type.String()),
            expiresAt: Nullable(DateTime),
            token: Type.String({ description: 'shown once' }),
          }),
          409: ErrorResponse,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { name, scope, team, expiresInDays } = request.body;
      if (team !== undefined && scope !== 'read') {
        throw new AppError(400, 'INVALID_TOKEN', 'body.team goes with scope read only', 'body.team');
      }
      if (team !== undefined && !(await teamIdsBySlug(db, [team])).has(team)) {
        throw new AppError(400, 'INVALID_TOKEN', `body.team "${team}" is not a configured team`, 'body.team');
      }
      const now = context.clock.now();
      const expiresAt =
        expiresInDays === undefined ? null : new Date(now.getTime() + expiresInDays * 86_400_000);
      const token = await issueToken(db, { name, scope, team: team ?? null, expiresAt }, now);
      if (!token)
        throw new AppError(409, 'TOKEN_EXISTS', `a token named "${name}" already exists (revoked ones too)`);
      return reply.status(201).send({ name, scope, team: team ?? null, expiresAt: iso(expiresAt), token });
    },
  );

  app.delete(
    '/api/v1/tokens/:name',
    {
      preValidation: requireAdmin,
      config: { audit: 'token.revoke' },
      schema: {
        summary: 'Revoke a token at once (admin)',
        tags: ['access'],
        params: Type.Object({ name: Type.String({ maxLength: 63 }) }),
        response: { 204: Type.Null(), 404: ErrorResponse, ...errors },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiToken(db, request.params.name, context.clock.now()))) {
        throw new AppError(404, 'NOT_FOUND', `no active token named "${request.params.name}"`, 'params.name');
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/audit-log',
    {
      preValidation: requireAdmin,
      schema: {
        summary: 'Admin actions and sign-ins, newest first (admin)',
        tags: ['access'],
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
        }),
        response: {
          200: Type.Object({
            entries: Type.Array(
              Type.Object({
                id: Type.Integer(),
                at: DateTime,
                actor: Type.String(),
                action: Type.String(),
                target: Nullable(Type.String()),
                address: Nullable(Type.String()),
                details: Type.Object({}, { additionalProperties: true }),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const rows = await listAudit(db, { limit: request.query.limit ?? 100, beforeId: request.query.before });
      return { entries: rows.map((row) => ({ ...row, id: Number(row.id), at: row.at.toISOString() })) };
    },
  );
}
