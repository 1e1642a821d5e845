import { OpenAPIHono, z } from '@hono/zod-openapi';
import { errorBody } from '../errors.ts';

/** Every validation failure becomes a 400 that names the parameter and says what is expected. */
export function router() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const message = result.error.issues
        .map((i) => {
          const name = i.path.length ? i.path.join('.') : 'request';
          return `parameter '${name}' ${i.message}`;
        })
        .join('; ');
      return c.json(errorBody('bad_request', `Invalid ${result.target}: ${message}`), 400);
    },
  });
}

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

export const errorResponses = {
  400: {
    description: 'Bad input; the message names the parameter',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'Unknown id', content: { 'application/json': { schema: ErrorSchema } } },
  503: {
    description: 'Database unavailable',
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;

export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.any()),
    count: z.number().optional(),
    limit: z.number().optional(),
    truncated: z.boolean().optional(),
  })
  .openapi('FeatureCollection');
