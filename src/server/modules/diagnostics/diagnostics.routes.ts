import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  ZDiagnosticDocument,
  ZDiagnosticListQuery,
  ZDiagnosticTree,
  ZDiagnosticTreeCreate,
  ZDiagnosticTreeSummary,
  ZDiagnosticWalk,
  ZDiagnosticWalkResult,
} from '../../../shared/schemas/diagnostics.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as diagnostics from './diagnostics.service.js';

const IdParams = z.strictObject({ id: ZId });
const tags = ['diagnostics'];

export const diagnosticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/diagnostics',
    {
      schema: {
        tags,
        querystring: ZDiagnosticListQuery,
        response: { 200: zPage(ZDiagnosticTreeSummary) },
        description:
          'Diagnostic trees by title. Those who file tickets only see the published trees of their organisations.',
      },
    },
    (req) => diagnostics.listTrees(ctxOf(req), req.query),
  );
  app.post(
    '/diagnostics',
    { schema: { tags, body: ZDiagnosticTreeCreate, response: { 201: ZDiagnosticTree } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await diagnostics.createTree(ctxOf(req), req.body))),
  );
  app.get(
    '/diagnostics/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: ZDiagnosticTree },
        description: 'The working document for those who manage trees; the published one for the others.',
      },
    },
    async (req, reply) => withEtag(reply, await diagnostics.getTree(ctxOf(req), req.params.id)),
  );
  app.put(
    '/diagnostics/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZDiagnosticDocument,
        response: { 200: ZDiagnosticTree },
        description: 'Replaces the whole working document (If-Match required); checked as a whole.',
      },
    },
    async (req, reply) =>
      withEtag(reply, await diagnostics.saveTree(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/diagnostics/:id/publish',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: ZDiagnosticTree },
        description: 'Snapshots the working document; walks run on it from now on (If-Match required).',
      },
    },
    async (req, reply) =>
      withEtag(reply, await diagnostics.publishTree(ctxOf(req), req.params.id, expectedVersion(req))),
  );
  app.post(
    '/diagnostics/:id/archive',
    { schema: { tags, params: IdParams, response: { 200: ZDiagnosticTree } } },
    async (req, reply) =>
      withEtag(reply, await diagnostics.archiveTree(ctxOf(req), req.params.id, expectedVersion(req))),
  );
  app.delete(
    '/diagnostics/:id',
    {
      schema: {
        tags,
        params: IdParams,
        description: 'Deletes a draft; a published tree is archived instead.',
      },
    },
    async (req, reply) => {
      await diagnostics.deleteTree(ctxOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/diagnostics/:id/walk',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZDiagnosticWalk,
        response: { 200: ZDiagnosticWalkResult },
        description:
          'Follows the answers from the root: the node reached (a question, or an outcome) and the path ' +
          'taken, in the shape of a ticket’s diagnosticPath.',
      },
    },
    (req) => diagnostics.walkTree(ctxOf(req), req.params.id, req.body),
  );
};
