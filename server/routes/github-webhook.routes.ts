import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import { verifySha256Signature } from '../auth/signatures.ts';
import { AppError } from '../errors.ts';
import { handleGithubDelivery } from '../ingest/github-webhook.service.ts';
import { ingestContextOf } from './events.routes.ts';
import type { RouteContext } from './index.ts';
import { ErrorResponse } from './schemas.ts';

const DeliveryResult = Type.Object({
  status: Type.Enum(['accepted', 'duplicate', 'ignored'], {
    description:
      'duplicate: this X-GitHub-Delivery was applied before; ignored: an event Groundwork does not read',
  }),
  event: Type.String(),
  deployment: Type.Optional(
    Type.Object({
      id: Type.String({ description: "GitHub's deployment databaseId" }),
      status: Type.String({ description: 'the stored status after this delivery' }),
      state: Type.String({ description: "GitHub's state in this delivery" }),
    }),
  ),
  unattributed: Type.Optional(Type.Boolean()),
});

/** GitHub signs each delivery with the webhook's secret; nothing unsigned or mis-signed gets further. */
function verifyGithubSignature(secret: string | null) {
  return async (request: FastifyRequest) => {
    if (!secret) {
      throw new AppError(
        401,
        'UNAUTHENTICATED',
        'GitHub webhooks are not accepted: GITHUB_WEBHOOK_SECRET is not set',
      );
    }
    const signature = request.headers['x-hub-signature-256'];
    if (
      !verifySha256Signature(
        secret,
        request.rawBody ?? '',
        typeof signature === 'string' ? signature : undefined,
      )
    ) {
      throw new AppError(401, 'UNAUTHENTICATED', 'X-Hub-Signature-256 is missing or does not match the body');
    }
  };
}

/** GitHub's `deployment_status` webhook, natively (repository or organisation webhook, content type JSON). */
export function registerGithubWebhookRoutes(app: FastifyTypebox, context: RouteContext): void {
  const ingest = ingestContextOf(context);
  app.post(
    '/api/v1/webhooks/github',
    {
      preValidation: verifyGithubSignature(context.config.secrets.githubWebhookSecret),
      schema: {
        summary: 'GitHub webhook: deployment_status events become deployments (source github)',
        description:
          'Verified with X-Hub-Signature-256 (GITHUB_WEBHOOK_SECRET) and de-duplicated on X-GitHub-Delivery. ' +
          'Other events (ping, …) are acknowledged and ignored. 202: accepted, but no team owns the repository.',
        tags: ['ingestion'],
        headers: Type.Object({
          'x-github-event': Type.String({ minLength: 1 }),
          'x-github-delivery': Type.String({ minLength: 1, maxLength: 100 }),
        }),
        body: Type.Object({}, { additionalProperties: true, description: 'the GitHub webhook payload' }),
        response: { 200: DeliveryResult, 202: DeliveryResult, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await handleGithubDelivery(ingest, {
        deliveryId: request.headers['x-github-delivery'],
        event: request.headers['x-github-event'],
        payload: request.body,
        rawJson: request.rawBody ?? JSON.stringify(request.body),
      });
      return reply.status(result.status === 'accepted' && result.unattributed ? 202 : 200).send(result);
    },
  );
}
