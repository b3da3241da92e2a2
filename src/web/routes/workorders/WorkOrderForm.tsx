import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { WORK_ORDER_KINDS, type WorkOrderKind } from '../../../shared/schemas/workorders.js';
import { ApiError } from '../../api/client.js';
import { AssetSelect, LocationSelect, ModelSelect } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { localInputToIso } from '../../components/format.js';
import { OrgSelect, UserMultiSelect, UserSelect } from '../../components/Pickers.js';
import { useSession } from '../../session/session.js';
import { getLevel } from '../stock/api.js';
import { ArticleSelect, StockLocationSelect } from '../stock/StockPickers.js';
import { createWorkOrder, type WorkOrderInput } from './api.js';
import { newTest, type TestDraft, TestFields, testBody } from './TestFields.js';

type ItemDraft = {
  key: number;
  kind: 'article' | 'model';
  refId: string | null;
  quantity: number;
  assetId: string | null;
};
let nextKey = 1;
const newItem = (): ItemDraft => ({
  key: nextKey++,
  kind: 'article',
  refId: null,
  quantity: 1,
  assetId: null,
});
/** What the store holds of an article now, shown beside the line before reserving. */
function Availability({
  articleId,
  stockLocationId,
}: {
  articleId: string | null;
  stockLocationId: string | null;
}) {
  const { t } = useTranslation();
  const level = useQuery({
    queryKey: ['stock', 'level', articleId, stockLocationId],
    queryFn: async () => {
      try {
        return (await getLevel(articleId!, stockLocationId!)).data.available;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return 0;
        throw err;
      }
    },
    enabled: !!articleId && !!stockLocationId,
  });
  if (!articleId || !stockLocationId || level.data === undefined) return null;
  return (
    <Text size="xs" c={level.data > 0 ? 'teal' : 'red'} data-testid="availability">
      {t('workorders.available', { count: level.data })}
    </Text>
  );
}

/** A 409 of the stock: what is available and when more would arrive. */
export function ShortageAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.code !== 'stock.insufficient') return null;
  const p = error.problem;
  return (
    <Alert color="orange" title={t('workorders.shortageTitle')} role="alert">
      {t('workorders.shortage', {
        available: p.available,
        requested: p.requested,
        leadTimeDays: p.leadTimeDays,
        expectedDate: p.expectedDate,
      })}
    </Alert>
  );
}

/** A new work order: where, when, for whom, what to install (reserved from a store), and its tests. */
export function WorkOrderForm({ defaultOrgId }: { defaultOrgId: string | null }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId ?? me.memberships[0]?.orgId ?? null);
  const [kind, setKind] = useState<WorkOrderKind>('new_workstation');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [locationId, setLocationId] = useState<string | null>(null);
  const [stockLocationId, setStockLocationId] = useState<string | null>(null);
  const [earliestDate, setEarliestDate] = useState('');
  const [latestDate, setLatestDate] = useState('');
  const [technicianId, setTechnicianId] = useState<string | null>(null);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [users, setUsers] = useState<string[]>([]);
  const [items, setItems] = useState<ItemDraft[]>([]);
  const [tests, setTests] = useState<TestDraft[]>([]);
  const [checks, setChecks] = useState('');
  const [checksMandatory, setChecksMandatory] = useState(true);
  const setItem = (key: number, v: Partial<ItemDraft>) =>
    setItems((old) => old.map((l) => (l.key === key ? { ...l, ...v } : l)));
  const setTest = (key: number, v: Partial<TestDraft>) =>
    setTests((old) => old.map((l) => (l.key === key ? { ...l, ...v } : l)));

  const create = useMutation({
    mutationFn: () => {
      const body: WorkOrderInput = {
        orgId: orgId ?? '',
        kind,
        title,
        description,
        locationId: locationId ?? '',
        stockLocationId,
        earliestDate: earliestDate || null,
        latestDate: latestDate || null,
        technicianId,
        scheduledStart: localInputToIso(start) ?? null,
        scheduledEnd: localInputToIso(end) ?? null,
        affectedUserIds: users,
        items: items.map((i) =>
          i.kind === 'article'
            ? { articleId: i.refId ?? '', quantity: i.quantity }
            : { modelId: i.refId ?? '', quantity: 1, assetIds: i.assetId ? [i.assetId] : [] },
        ),
        tests: tests.map(testBody),
        checklist: checks
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((label) => ({ label, mandatory: checksMandatory })),
      };
      return createWorkOrder(body);
    },
    onSuccess: (wo) => {
      void queryClient.invalidateQueries({ queryKey: ['workorders'] });
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
      void navigate(`/work-orders/${wo.id}`);
    },
  });
  const err = create.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <OrgSelect
            label={t('workorders.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
          <Select
            label={t('workorders.kind')}
            data={WORK_ORDER_KINDS.map((k) => ({ value: k, label: t(`workorders.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as WorkOrderKind)}
            allowDeselect={false}
            required
          />
          <TextInput
            label={t('workorders.title')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            required
            error={fieldError(err, 'title')}
          />
          <LocationSelect
            label={t('workorders.location')}
            value={locationId}
            onChange={setLocationId}
            orgId={orgId}
            required
            error={fieldError(err, 'locationId')}
          />
          <TextInput
            type="date"
            label={t('workorders.earliestDate')}
            value={earliestDate}
            onChange={(e) => setEarliestDate(e.currentTarget.value)}
            error={fieldError(err, 'earliestDate')}
          />
          <TextInput
            type="date"
            label={t('workorders.latestDate')}
            value={latestDate}
            onChange={(e) => setLatestDate(e.currentTarget.value)}
            error={fieldError(err, 'latestDate')}
          />
          <UserSelect
            label={t('workorders.technician')}
            orgId={orgId}
            value={technicianId}
            onChange={setTechnicianId}
            error={fieldError(err, 'technicianId')}
          />
          <UserMultiSelect
            label={t('workorders.affectedUsers')}
            orgId={orgId}
            value={users}
            onChange={setUsers}
            error={fieldError(err, 'affectedUserIds')}
          />
          <TextInput
            type="datetime-local"
            label={t('workorders.scheduledStart')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={fieldError(err, 'scheduledStart')}
          />
          <TextInput
            type="datetime-local"
            label={t('workorders.scheduledEnd')}
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={fieldError(err, 'scheduledEnd')}
          />
        </SimpleGrid>
        <Textarea
          label={t('workorders.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          autosize
          minRows={2}
        />

        <Text fw={600}>{t('workorders.items')}</Text>
        <StockLocationSelect
          label={t('workorders.stockLocation')}
          placeholder={t('workorders.stockLocationHelp')}
          clearable
          value={stockLocationId}
          onChange={setStockLocationId}
          orgId={orgId}
          error={fieldError(err, 'stockLocationId')}
        />
        {items.map((l, i) => (
          <Group key={l.key} align="flex-end" wrap="nowrap">
            <SegmentedControl
              value={l.kind}
              onChange={(v) => setItem(l.key, { kind: v as ItemDraft['kind'], refId: null, assetId: null })}
              data={[
                { value: 'article', label: t('workorders.itemArticle') },
                { value: 'model', label: t('workorders.itemModel') },
              ]}
              aria-label={t('workorders.itemKind')}
            />
            <Stack gap={2} style={{ flex: 1 }}>
              {l.kind === 'article' ? (
                <ArticleSelect
                  label={t('workorders.article')}
                  value={l.refId}
                  onChange={(v) => setItem(l.key, { refId: v })}
                  orgId={orgId}
                  required
                  error={fieldError(err, `items.${i}.articleId`)}
                />
              ) : (
                <ModelSelect
                  label={t('workorders.model')}
                  value={l.refId}
                  onChange={(v) => setItem(l.key, { refId: v })}
                  orgId={orgId}
                  required
                  error={fieldError(err, `items.${i}.modelId`)}
                />
              )}
              {l.kind === 'article' && <Availability articleId={l.refId} stockLocationId={stockLocationId} />}
            </Stack>
            {l.kind === 'article' ? (
              <NumberInput
                label={t('workorders.quantity')}
                min={1}
                w={110}
                value={l.quantity}
                onChange={(v) => setItem(l.key, { quantity: typeof v === 'number' ? v : 1 })}
                error={fieldError(err, `items.${i}.quantity`)}
              />
            ) : (
              <div style={{ flex: 1 }}>
                <AssetSelect
                  label={t('workorders.unit')}
                  value={l.assetId}
                  onChange={(v) => setItem(l.key, { assetId: v })}
                  orgId={orgId}
                  error={fieldError(err, `items.${i}.assetIds.0`)}
                />
              </div>
            )}
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              onClick={() => setItems((old) => old.filter((x) => x.key !== l.key))}
              aria-label={t('workorders.removeItem', { n: i + 1 })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <div>
          <Button variant="default" size="xs" onClick={() => setItems((old) => [...old, newItem()])}>
            {t('workorders.addItem')}
          </Button>
        </div>

        <Text fw={600}>{t('workorders.tests')}</Text>
        {tests.map((x, i) => (
          <Group key={x.key} align="flex-end" wrap="nowrap">
            <TestFields test={x} onChange={(v) => setTest(x.key, v)} error={err} path={`tests.${i}`} />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              onClick={() => setTests((old) => old.filter((y) => y.key !== x.key))}
              aria-label={t('workorders.removeTest', { n: i + 1 })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <div>
          <Button variant="default" size="xs" onClick={() => setTests((old) => [...old, newTest()])}>
            {t('workorders.addTest')}
          </Button>
        </div>

        <Textarea
          label={t('workorders.extraChecks')}
          description={t('workorders.extraChecksHelp')}
          value={checks}
          onChange={(e) => setChecks(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Checkbox
          label={t('workorders.extraChecksMandatory')}
          checked={checksMandatory}
          onChange={(e) => setChecksMandatory(e.currentTarget.checked)}
        />
        <ShortageAlert error={err} />
        {!(err instanceof ApiError && err.code === 'stock.insufficient') && (
          <ErrorAlert
            error={err}
            fields={[
              'orgId',
              'title',
              'locationId',
              'stockLocationId',
              'earliestDate',
              'latestDate',
              'technicianId',
              'affectedUserIds',
              'scheduledStart',
              'scheduledEnd',
              'items',
              'tests',
            ]}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t('workorders.createSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
