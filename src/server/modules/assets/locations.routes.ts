import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZLocation,
  ZLocationContents,
  ZLocationCreate,
  ZLocationListQuery,
  ZLocationUpdate,
  ZRackContents,
} from '../../../shared/schemas/assets.js';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as locations from './locations.service.js';

const IdParams = z.strictObject({ id: ZId });
const tags = ['locations'];

export const locationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/locations',
    { schema: { tags, querystring: ZLocationListQuery, response: { 200: zPage(ZLocation) } } },
    (req) => locations.listLocations(ctxOf(req), req.query),
  );
  app.post(
    '/locations',
    { schema: { tags, body: ZLocationCreate, response: { 201: ZLocation } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await locations.createLocation(ctxOf(req), req.body))),
  );
  app.get(
    '/locations/:id',
    { schema: { tags, params: IdParams, response: { 200: ZLocation } } },
    async (req, reply) => withEtag(reply, await locations.getLocation(ctxOf(req), req.params.id)),
  );
  app.get(
    '/locations/:id/contents',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: ZLocationContents },
      },
    },
    (req) => locations.getLocationContents(ctxOf(req), req.params.id),
  );
  app.get(
    '/locations/:id/rack',
    {
      schema: {
        tags,
        params: IdParams,
        description: 'The assets placed in a rack, each from its lowest U (1 at the bottom) up its height.',
        response: { 200: ZRackContents },
      },
    },
    (req) => locations.getRackContents(ctxOf(req), req.params.id),
  );
  app.patch(
    '/locations/:id',
    { schema: { tags, params: IdParams, body: ZLocationUpdate, response: { 200: ZLocation } } },
    async (req, reply) =>
      withEtag(
        reply,
        await locations.updateLocation(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.delete('/locations/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await locations.deleteLocation(ctxOf(req), req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });
};
