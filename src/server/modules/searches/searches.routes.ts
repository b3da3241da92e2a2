import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId } from '../../../shared/schemas/common.js';
import {
  ZSavedSearch,
  ZSavedSearchCreate,
  ZSavedSearchListQuery,
  ZSavedSearchUpdate,
} from '../../../shared/schemas/searches.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as searches from './searches.service.js';

const IdParams = z.strictObject({ id: ZId });
const tags = ['saved searches'];

export const searchesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/saved-searches',
    {
      schema: {
        tags,
        querystring: ZSavedSearchListQuery,
        response: { 200: z.object({ items: z.array(ZSavedSearch) }) },
      },
    },
    async (req) => ({ items: await searches.listSavedSearches(ctxOf(req), req.query.scope) }),
  );
  app.post(
    '/saved-searches',
    { schema: { tags, body: ZSavedSearchCreate, response: { 201: ZSavedSearch } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await searches.createSavedSearch(ctxOf(req), req.body))),
  );
  app.patch(
    '/saved-searches/:id',
    { schema: { tags, params: IdParams, body: ZSavedSearchUpdate, response: { 200: ZSavedSearch } } },
    async (req, reply) =>
      withEtag(
        reply,
        await searches.updateSavedSearch(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.delete('/saved-searches/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await searches.deleteSavedSearch(ctxOf(req), req.params.id);
    return reply.status(204).send();
  });
};
