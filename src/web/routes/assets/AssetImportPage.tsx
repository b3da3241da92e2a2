import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IMPORT_FIELDS } from '../../../shared/schemas/assets.js';
import {
  IMPORT_TYPES,
  type ImportPreview,
  type ImportResult,
  previewImport,
  runImport,
} from '../../api/assets.js';
import { useAssetTypes } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useSession } from '../../session/session.js';

const IGNORE = '';

/** An import field ("purchaseDate", "custom.ram_gb") under its label in the asset form. */
function importFieldLabel(t: TFunction, field: string): string {
  if (field.startsWith('custom.'))
    return t('assets.import.customField', { key: field.slice('custom.'.length) });
  const known = IMPORT_FIELDS.find((f) => f === field);
  return known ? t(`assets.${known === 'status' ? 'statusLabel' : known}`) : field;
}

/** Import from a spreadsheet: file, column mapping over a sample, a dry run, then the import itself. */
export function AssetImportPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [orgId, setOrgId] = useState<string | null>(me.memberships[0]?.orgId ?? null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const read = useMutation({
    mutationFn: () => previewImport(orgId ?? '', file as File),
    onSuccess: (data) => {
      setPreview(data);
      setMapping(Object.fromEntries(data.columns.map((c) => [c, data.suggestedMapping[c] ?? IGNORE])));
      setStep(1);
    },
  });
  // Only the mapped columns are sent: the ones left out are ignored by the server.
  const chosen = Object.fromEntries(Object.entries(mapping).filter(([, field]) => field !== IGNORE));
  const dryRun = useMutation({
    mutationFn: () => runImport(orgId ?? '', file as File, chosen, true),
    onSuccess: (data) => {
      setCheck(data);
      setStep(2);
    },
  });
  const run = useMutation({
    mutationFn: () => runImport(orgId ?? '', file as File, chosen, false),
    onSuccess: (data) => {
      if (data.errors.length > 0) {
        setCheck(data);
        return;
      }
      setResult(data);
      setStep(3);
      void queryClient.invalidateQueries({ queryKey: ['assets'] });
      void queryClient.invalidateQueries({ queryKey: ['location'] });
    },
  });

  const restart = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setCheck(null);
    setResult(null);
    read.reset();
    dryRun.reset();
    run.reset();
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('assets.import.title')}</Title>
        <Anchor component={Link} to="/assets">
          {t('assets.back')}
        </Anchor>
      </Group>
      <Stepper active={step} allowNextStepsSelect={false} onStepClick={setStep}>
        <Stepper.Step label={t('assets.import.stepFile')}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (orgId && file) read.mutate();
            }}
          >
            <Stack gap="sm" maw={560}>
              <OrgSelect
                label={t('assets.org')}
                value={orgId}
                onChange={(v) => {
                  setOrgId(v);
                  setPreview(null);
                }}
                required
              />
              <FileInput
                label={t('assets.import.file')}
                description={t('assets.import.fileHelp')}
                accept={`.csv,.xlsx,${IMPORT_TYPES.csv},${IMPORT_TYPES.xlsx}`}
                value={file}
                onChange={(f) => {
                  setFile(f);
                  setPreview(null);
                }}
                clearable
                required
              />
              {read.isError && <ErrorAlert error={read.error} />}
              <Group>
                <Button type="submit" disabled={!orgId || !file} loading={read.isPending}>
                  {t('assets.import.read')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Stepper.Step>
        <Stepper.Step label={t('assets.import.stepMapping')}>
          {preview && orgId && (
            <MappingStep
              orgId={orgId}
              preview={preview}
              mapping={mapping}
              onChange={(column, field) => setMapping((old) => ({ ...old, [column]: field }))}
            />
          )}
          <Stack gap="sm" mt="md">
            {dryRun.isError && <ErrorAlert error={dryRun.error} />}
            <Group>
              <Button variant="default" onClick={() => setStep(0)}>
                {t('assets.import.back')}
              </Button>
              <Button onClick={() => dryRun.mutate()} loading={dryRun.isPending}>
                {t('assets.import.check')}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t('assets.import.stepCheck')}>
          {check && <ResultView result={check} dry />}
          <Stack gap="sm" mt="md">
            {run.isError && <ErrorAlert error={run.error} />}
            <Group>
              <Button variant="default" onClick={() => setStep(1)}>
                {t('assets.import.back')}
              </Button>
              <Button
                onClick={() => run.mutate()}
                loading={run.isPending}
                disabled={!check || check.errors.length > 0}
              >
                {t('assets.import.run')}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Completed>
          <Stack gap="sm">
            <Alert color="teal" variant="light" title={t('assets.import.done')}>
              {result && t('assets.import.countsDone', result)}
            </Alert>
            <Group>
              <Button component={Link} to="/assets">
                {t('assets.import.toList')}
              </Button>
              <Button variant="default" onClick={restart}>
                {t('assets.import.again')}
              </Button>
            </Group>
          </Stack>
        </Stepper.Completed>
      </Stepper>
    </Stack>
  );
}

function MappingStep({
  orgId,
  preview,
  mapping,
  onChange,
}: {
  orgId: string;
  preview: ImportPreview;
  mapping: Record<string, string>;
  onChange: (column: string, field: string) => void;
}) {
  const { t } = useTranslation();
  const types = useAssetTypes(orgId);
  // Custom fields of every type this organisation sees, plus any the server suggested.
  const customKeys = new Set<string>();
  for (const type of types.data ?? []) for (const f of type.customFields) customKeys.add(f.key);
  for (const field of Object.values(preview.suggestedMapping))
    if (field.startsWith('custom.')) customKeys.add(field.slice('custom.'.length));
  const targets = [
    { value: IGNORE, label: t('assets.import.ignore') },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: importFieldLabel(t, f) })),
    ...[...customKeys]
      .sort()
      .map((key) => ({ value: `custom.${key}`, label: importFieldLabel(t, `custom.${key}`) })),
  ];

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {preview.delimiter === null
          ? t('assets.import.summaryXlsx', preview)
          : t('assets.import.summary', preview)}
      </Text>
      <Title order={3} size="h4">
        {t('assets.import.mapping')}
      </Title>
      <Text size="sm">{t('assets.import.mappingHelp')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {preview.columns.map((column) => (
          <Select
            key={column}
            label={column}
            data={targets}
            value={mapping[column] ?? IGNORE}
            onChange={(v) => onChange(column, v ?? IGNORE)}
            allowDeselect={false}
            searchable
          />
        ))}
      </SimpleGrid>
      <Title order={3} size="h4">
        {t('assets.import.sample')}
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table striped verticalSpacing="xs" aria-label={t('assets.import.sample')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('assets.import.line')}</Table.Th>
              {preview.columns.map((c) => (
                <Table.Th key={c} scope="col">
                  {c}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.sample.map((row) => (
              <Table.Tr key={row.line}>
                <Table.Td>{row.line}</Table.Td>
                {preview.columns.map((c) => (
                  <Table.Td key={c}>{row.values[c] ?? ''}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function ResultView({ result, dry }: { result: ImportResult; dry: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Text fw={500}>{t(dry ? 'assets.import.counts' : 'assets.import.countsDone', result)}</Text>
      {result.errors.length === 0 ? (
        <Alert color="teal" variant="light">
          {t('assets.import.clean')}
        </Alert>
      ) : (
        <Alert
          color="red"
          variant="light"
          role="alert"
          title={t('assets.import.errorsTitle', { count: result.errors.length })}
        >
          <List size="sm">
            {result.errors.map((e) => (
              <List.Item key={`${e.line}-${e.field ?? ''}-${e.code}-${e.message}`}>
                <Text span fw={500}>
                  {t('assets.import.errorLine', { line: e.line })}
                  {e.field ? ` (${importFieldLabel(t, e.field)})` : ''}
                </Text>
                {' — '}
                {e.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
