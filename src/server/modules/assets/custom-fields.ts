import { type ZodType, z } from 'zod';
import type { TAsset, TCustomField } from '../../../shared/schemas/assets.js';
import { invalid } from '../../http/errors.js';

function fieldSchema(field: TCustomField): ZodType {
  switch (field.type) {
    case 'text':
      return z.string().max(2000);
    case 'number':
      return z.number();
    case 'date':
      return z.iso.date();
    case 'boolean':
      return z.boolean();
    case 'list':
      return z.enum((field.options ?? []) as [string, ...string[]]);
  }
}

/**
 * Checks an asset's custom values against its type's field definitions, on every write. Every issue
 * is reported at once with its path (`custom.ram_gb`).
 */
export function validateCustomValues(fields: TCustomField[], values: TAsset['custom']): TAsset['custom'] {
  const shape: Record<string, ZodType> = {};
  for (const field of fields) {
    const schema = fieldSchema(field);
    shape[field.key] = field.required ? schema : schema.nullable().optional();
  }
  const result = z.strictObject(shape).safeParse(values);
  if (result.success) return result.data as TAsset['custom'];
  throw invalid(
    result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((k) => ({ path: `custom.${k}`, code: 'unrecognized_keys' }));
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      return [{ path: ['custom', ...issue.path].join('.'), code: missing ? 'required' : issue.code }];
    }),
  );
}
