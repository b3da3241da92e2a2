import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAssetType,
  ZAssetTypeCreate,
  ZAssetTypeListQuery,
  ZAssetTypeUpdate,
  ZCatalogueListQuery,
  ZModel,
  ZModelCreate,
  ZModelListQuery,
  ZModelUpdate,
  ZParty,
  ZPartyCreate,
  ZPartyUpdate,
} from '../../../shared/schemas/assets.js';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { fileReply } from '../../http/download.js';
import type { PartyKind } from './catalogue.repo.js';
import * as catalogue from './catalogue.service.js';

const IdParams = z.strictObject({ id: ZId });

/** A file name sent URL-encoded in X-File-Name, made safe to store and to send back. */
function fileName(raw: string | string[] | undefined): string {
  let name = 'notice.pdf';
  try {
    if (typeof raw === 'string' && raw.trim()) name = decodeURIComponent(raw.trim());
  } catch {
    // not URL-encoded: keep the default
  }
  const unsafe = (c: string) => c.charCodeAt(0) < 32 || c === '/' || c === '\\' || c === '"';
  return [...name]
    .map((c) => (unsafe(c) ? '_' : c))
    .join('')
    .slice(0, 200);
}

/** Manufacturers and suppliers: the same five routes on two paths. */
function partyRoutes(app: Parameters<FastifyPluginAsyncZod>[0], kind: PartyKind, base: string, tag: string) {
  const tags = [tag];
  app.get(
    base,
    { schema: { tags, querystring: ZCatalogueListQuery, response: { 200: zPage(ZParty) } } },
    (req) => catalogue.listParties(ctxOf(req), kind, req.query),
  );
  app.post(base, { schema: { tags, body: ZPartyCreate, response: { 201: ZParty } } }, async (req, reply) =>
    reply.status(201).send(withEtag(reply, await catalogue.createParty(ctxOf(req), kind, req.body))),
  );
  app.get(
    `${base}/:id`,
    { schema: { tags, params: IdParams, response: { 200: ZParty } } },
    async (req, reply) => withEtag(reply, await catalogue.getParty(ctxOf(req), kind, req.params.id)),
  );
  app.patch(
    `${base}/:id`,
    { schema: { tags, params: IdParams, body: ZPartyUpdate, response: { 200: ZParty } } },
    async (req, reply) =>
      withEtag(
        reply,
        await catalogue.updateParty(ctxOf(req), kind, req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.delete(`${base}/:id`, { schema: { tags, params: IdParams } }, async (req, reply) => {
    await catalogue.deleteParty(ctxOf(req), kind, req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });
}

export const catalogueRoutes: FastifyPluginAsyncZod = async (app) => {
  partyRoutes(app, 'manufacturer', '/manufacturers', 'manufacturers');
  partyRoutes(app, 'supplier', '/suppliers', 'suppliers');

  // --- models ---
  const tags = ['models'];
  app.get(
    '/models',
    { schema: { tags, querystring: ZModelListQuery, response: { 200: zPage(ZModel) } } },
    (req) => catalogue.listModels(ctxOf(req), req.query),
  );
  app.post(
    '/models',
    { schema: { tags, body: ZModelCreate, response: { 201: ZModel } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await catalogue.createModel(ctxOf(req), req.body))),
  );
  app.get(
    '/models/:id',
    { schema: { tags, params: IdParams, response: { 200: ZModel } } },
    async (req, reply) => withEtag(reply, await catalogue.getModel(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/models/:id',
    { schema: { tags, params: IdParams, body: ZModelUpdate, response: { 200: ZModel } } },
    async (req, reply) =>
      withEtag(reply, await catalogue.updateModel(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  // The notice travels as the raw PDF body; its file name, when any, in X-File-Name.
  app.addContentTypeParser(
    'application/pdf',
    { parseAs: 'buffer', bodyLimit: catalogue.NOTICE_MAX_BYTES },
    (_req, body, done) => done(null, body),
  );
  app.put(
    '/models/:id/notice',
    {
      bodyLimit: catalogue.NOTICE_MAX_BYTES,
      schema: {
        tags,
        params: IdParams,
        description:
          "Attach the manufacturer's installation notice: the PDF as the body (Content-Type: application/pdf).",
        response: { 200: ZModel },
      },
    },
    async (req, reply) => {
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return withEtag(
        reply,
        await catalogue.attachModelNotice(ctxOf(req), req.params.id, expectedVersion(req), {
          content,
          name: fileName(req.headers['x-file-name']),
        }),
      );
    },
  );
  app.get('/models/:id/notice', { schema: { tags, params: IdParams } }, async (req, reply) => {
    const notice = await catalogue.modelNotice(ctxOf(req), req.params.id);
    return fileReply(reply, { type: 'application/pdf', filename: notice.name, disposition: 'inline' }).send(
      notice.content,
    );
  });
  app.delete('/models/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await catalogue.deleteModel(ctxOf(req), req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });

  // --- asset types: few per organisation, so one unpaged list ---
  const typeTags = ['asset-types'];
  app.get(
    '/asset-types',
    {
      schema: {
        tags: typeTags,
        querystring: ZAssetTypeListQuery,
        response: { 200: z.object({ items: z.array(ZAssetType) }) },
      },
    },
    (req) => catalogue.listAssetTypes(ctxOf(req), req.query),
  );
  app.post(
    '/asset-types',
    { schema: { tags: typeTags, body: ZAssetTypeCreate, response: { 201: ZAssetType } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await catalogue.createAssetType(ctxOf(req), req.body))),
  );
  app.get(
    '/asset-types/:id',
    { schema: { tags: typeTags, params: IdParams, response: { 200: ZAssetType } } },
    async (req, reply) => withEtag(reply, await catalogue.getAssetType(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/asset-types/:id',
    { schema: { tags: typeTags, params: IdParams, body: ZAssetTypeUpdate, response: { 200: ZAssetType } } },
    async (req, reply) =>
      withEtag(
        reply,
        await catalogue.updateAssetType(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
};
