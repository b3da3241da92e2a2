import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type TImportMapping,
  ZImportMapping,
  ZImportPreview,
  ZImportPreviewQuery,
  ZImportQuery,
  ZImportResult,
} from '../../../shared/schemas/assets.js';
import { ctxOf } from '../../http/context.js';
import { AppError, invalid } from '../../http/errors.js';
import { requestLocale } from '../../http/problem.js';
import { previewImport, runImport } from './import.service.js';

export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const FILE_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];
const ZFile = z.unknown().describe('The CSV or XLSX file itself, as the raw request body (20 MB at most).');

/** The mapping travels url-encoded in the query string, as JSON; every bad entry is reported. */
function parseMapping(raw: string | undefined): TImportMapping | undefined {
  if (raw === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw invalid([{ path: 'query.mapping', code: 'invalid_format' }]);
  }
  const result = ZImportMapping.safeParse(data);
  if (result.success) return result.data;
  throw invalid(
    result.error.issues.map((i) => ({ path: ['query.mapping', ...i.path].join('.'), code: i.code })),
  );
}

function fileOf(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) throw new AppError('request.unsupported_media_type', 415);
  if (request.body.length === 0)
    throw new AppError('import.bad_header', 400, { columns: '—' }, { reason: 'missing' });
  return request.body;
}

/**
 * The asset import: a preview (columns, suggested mapping, first rows), then the import itself, dry
 * run or for real. The file is the raw body so a script can send it with `curl --data-binary`.
 */
export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Encapsulated: these raw types are accepted by these routes only.
  app.addContentTypeParser(
    FILE_TYPES,
    { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );
  const common = {
    bodyLimit: IMPORT_BODY_LIMIT,
  };
  app.post(
    '/assets/import/preview',
    {
      ...common,
      schema: {
        tags: ['assets'],
        summary: 'Read an import file: its columns, a suggested mapping and its first rows',
        consumes: FILE_TYPES,
        querystring: ZImportPreviewQuery,
        body: ZFile,
        response: { 200: ZImportPreview },
      },
    },
    (req) =>
      previewImport(ctxOf(req), {
        orgId: req.query.orgId,
        file: fileOf(req),
        mapping: parseMapping(req.query.mapping),
      }),
  );
  app.post(
    '/assets/import',
    {
      ...common,
      schema: {
        tags: ['assets'],
        summary: 'Import assets from CSV or XLSX, all rows or none',
        description:
          'Matches rows to assets by serial, else asset tag. 200 when imported (or a clean dry run); ' +
          '422 when any row is bad: nothing was written and `errors` lists every bad row.',
        consumes: FILE_TYPES,
        querystring: ZImportQuery,
        body: ZFile,
        response: { 200: ZImportResult, 422: ZImportResult },
      },
    },
    async (req, reply) => {
      const result = await runImport(ctxOf(req), {
        orgId: req.query.orgId,
        file: fileOf(req),
        mapping: parseMapping(req.query.mapping),
        dryRun: req.query.dryRun === 'true' || req.query.dryRun === '1',
        locale: requestLocale(req),
      });
      return reply.status(result.errors.length > 0 ? 422 : 200).send(result);
    },
  );
};
