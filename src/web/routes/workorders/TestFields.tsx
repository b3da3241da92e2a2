import { NumberInput, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { VALIDATION_TEST_KINDS, type ZValidationTestCreate } from '../../../shared/schemas/workorders.js';
import { fieldError } from '../../components/errors.js';

export type TestDraft = {
  key: number;
  kind: (typeof VALIDATION_TEST_KINDS)[number];
  host: string;
  port: number;
  url: string;
  expectedStatus: number;
  expectedAddress: string;
};

let nextKey = 1;
export const newTest = (): TestDraft => ({
  key: nextKey++,
  kind: 'tcp',
  host: '',
  port: 443,
  url: '',
  expectedStatus: 200,
  expectedAddress: '',
});

/** The API body of a drafted test: only the fields of its kind. */
export function testBody(x: TestDraft): z.input<typeof ZValidationTestCreate> {
  switch (x.kind) {
    case 'tcp':
      return { kind: 'tcp', host: x.host, port: x.port };
    case 'http':
      return { kind: 'http', url: x.url, expectedStatus: x.expectedStatus };
    case 'dns':
      return { kind: 'dns', host: x.host, expectedAddress: x.expectedAddress || null };
    default:
      return { kind: 'icmp', host: x.host };
  }
}

/** The fields of one validation test; `path` prefixes the server's field errors (`tests.0`, or ''). */
export function TestFields({
  test: x,
  onChange,
  error,
  path,
}: {
  test: TestDraft;
  onChange: (v: Partial<TestDraft>) => void;
  error: unknown;
  path: string;
}) {
  const { t } = useTranslation();
  const at = (field: string) => fieldError(error, path ? `${path}.${field}` : field);
  return (
    <>
      <Select
        label={t('workorders.testKind')}
        w={120}
        data={VALIDATION_TEST_KINDS.map((k) => ({ value: k, label: t(`workorders.testKinds.${k}`) }))}
        value={x.kind}
        onChange={(v) => v && onChange({ kind: v as TestDraft['kind'] })}
        allowDeselect={false}
      />
      {x.kind === 'http' ? (
        <>
          <TextInput
            style={{ flex: 1 }}
            label={t('workorders.url')}
            value={x.url}
            onChange={(e) => onChange({ url: e.currentTarget.value })}
            error={at('url')}
          />
          <NumberInput
            w={110}
            label={t('workorders.expectedStatus')}
            value={x.expectedStatus}
            onChange={(v) => onChange({ expectedStatus: typeof v === 'number' ? v : 200 })}
            error={at('expectedStatus')}
          />
        </>
      ) : (
        <TextInput
          style={{ flex: 1 }}
          label={t('workorders.host')}
          value={x.host}
          onChange={(e) => onChange({ host: e.currentTarget.value })}
          error={at('host')}
        />
      )}
      {x.kind === 'tcp' && (
        <NumberInput
          w={110}
          label={t('workorders.port')}
          min={1}
          max={65535}
          value={x.port}
          onChange={(v) => onChange({ port: typeof v === 'number' ? v : 1 })}
          error={at('port')}
        />
      )}
      {x.kind === 'dns' && (
        <TextInput
          w={160}
          label={t('workorders.expectedAddress')}
          value={x.expectedAddress}
          onChange={(e) => onChange({ expectedAddress: e.currentTarget.value })}
          error={at('expectedAddress')}
        />
      )}
    </>
  );
}
