import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import {
  ZKbArticle,
  ZKbArticleCreate,
  ZKbArticleSummary,
  ZKbArticleUpdate,
  ZKbListQuery,
  ZKbRestore,
  ZKbSuggestQuery,
  ZKbVersion,
  ZKbVersionSummary,
} from '../../../shared/schemas/kb.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as kb from './kb.service.js';

const IdParams = z.strictObject({ id: ZId });
const VersionParams = z.strictObject({ id: ZId, n: z.coerce.number().int().min(1).max(1_000_000) });
const tags = ['knowledge base'];

export const kbRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/kb/articles',
    {
      schema: {
        tags,
        querystring: ZKbListQuery,
        response: { 200: zPage(ZKbArticleSummary) },
        description:
          'Procedures, newest change first. With q: those holding every word (accents and case ignored), ' +
          'the ones with every word in their title first.',
      },
    },
    (req) => kb.listArticles(ctxOf(req), req.query),
  );
  app.post(
    '/kb/articles',
    { schema: { tags, body: ZKbArticleCreate, response: { 201: ZKbArticle } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await kb.createArticle(ctxOf(req), req.body))),
  );
  app.get(
    '/kb/articles/:id',
    { schema: { tags, params: IdParams, response: { 200: ZKbArticle } } },
    async (req, reply) => withEtag(reply, await kb.getArticle(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/kb/articles/:id',
    { schema: { tags, params: IdParams, body: ZKbArticleUpdate, response: { 200: ZKbArticle } } },
    async (req, reply) =>
      withEtag(reply, await kb.updateArticle(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.delete(
    '/kb/articles/:id',
    { schema: { tags, params: IdParams, description: 'Archives the procedure (If-Match required).' } },
    async (req, reply) => {
      await kb.archiveArticle(ctxOf(req), req.params.id, expectedVersion(req));
      return reply.status(204).send();
    },
  );
  app.get(
    '/kb/articles/:id/versions',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: ZListQuery,
        response: { 200: zPage(ZKbVersionSummary) },
      },
    },
    (req) => kb.listVersions(ctxOf(req), req.params.id, req.query),
  );
  app.get(
    '/kb/articles/:id/versions/:n',
    { schema: { tags, params: VersionParams, response: { 200: ZKbVersion } } },
    (req) => kb.getVersion(ctxOf(req), req.params.id, req.params.n),
  );
  app.post(
    '/kb/articles/:id/restore/:n',
    {
      schema: {
        tags,
        params: VersionParams,
        body: ZKbRestore.optional(),
        response: { 200: ZKbArticle },
        description: 'Puts back the content of version n as a new version (If-Match required).',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await kb.restoreVersion(
          ctxOf(req),
          req.params.id,
          req.params.n,
          expectedVersion(req),
          req.body?.changeNote,
        ),
      ),
  );
  app.get(
    '/kb/suggest',
    {
      schema: {
        tags,
        querystring: ZKbSuggestQuery,
        response: { 200: z.object({ items: z.array(ZKbArticleSummary) }) },
        description: 'Published procedures for a ticket title being typed.',
      },
    },
    async (req) => ({ items: await kb.suggestArticles(ctxOf(req), req.query) }),
  );
};
