import { Button, Card, Center, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RELATION_KINDS } from '../../../shared/schemas/assets.js';
import { type AssetType, type HistoryEntry, listAssetHistory } from '../../api/assets.js';
import { typeLabel } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate, formatDateTime, formatMegabytes } from '../../components/format.js';
import { usePagedQuery } from '../../components/PagedTable.js';
import {
  useAssetNames,
  useLocationNames,
  useModelNames,
  useSupplierNames,
  useUserNames,
} from '../../components/useNames.js';

/** Field names of the history, as the labels of the asset form. */
const FIELD_LABELS: Record<string, string> = {
  name: 'assets.name',
  typeId: 'assets.type',
  modelId: 'assets.model',
  assetTag: 'assets.assetTag',
  serial: 'assets.serial',
  status: 'assets.statusLabel',
  locationId: 'assets.location',
  rackPosition: 'assets.rackPosition',
  rackHeight: 'assets.rackHeight',
  assignedUserId: 'assets.assignee',
  supplierId: 'assets.supplier',
  purchaseDate: 'assets.purchaseDate',
  warrantyEnd: 'assets.warrantyEnd',
  contractEnd: 'assets.contractEnd',
  notes: 'assets.notes',
  'inventory.hostname': 'assets.timeline.inventoryFields.hostname',
  'inventory.memoryMb': 'assets.timeline.inventoryFields.memoryMb',
  'inventory.os': 'assets.timeline.inventoryFields.os',
  'inventory.cpu': 'assets.timeline.inventoryFields.cpu',
  'inventory.biosVersion': 'assets.timeline.inventoryFields.biosVersion',
  'inventory.disk': 'assets.timeline.inventoryFields.disk',
  'inventory.network': 'assets.timeline.inventoryFields.network',
  'inventory.antivirus': 'assets.timeline.inventoryFields.antivirus',
  'inventory.antivirusEnabled': 'assets.timeline.inventoryFields.antivirusEnabled',
  'inventory.antivirusUpToDate': 'assets.timeline.inventoryFields.antivirusUpToDate',
  'inventory.software': 'assets.timeline.inventoryFields.software',
  'inventory.agent': 'assets.timeline.inventoryFields.agent',
};
const DATES = new Set(['purchaseDate', 'warrantyEnd', 'contractEnd']);
const KINDS = new Set(['created', 'updated', 'status', 'relation', 'deleted', 'inventory']);
/** Inventory fields that list items (one change per item): read as "added" or "removed". */
const INVENTORY_ITEMS = new Set(['software', 'disk', 'network', 'antivirus']);

type Change = HistoryEntry['changes'][number];
type Names = Record<'location' | 'user' | 'model' | 'supplier' | 'asset', Map<string, string>>;

const idOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** Relation changes carry `{ assetId, name? }` for the other asset. */
const relatedId = (value: unknown): string | null =>
  value && typeof value === 'object' && 'assetId' in value ? idOf(value.assetId) : null;

/** Every id the page shows, so names are read once for the whole timeline. */
function idsIn(entries: HistoryEntry[], field: string): string[] {
  return entries.flatMap((e) =>
    e.changes.filter((c) => c.field === field).flatMap((c) => [idOf(c.from), idOf(c.to)]),
  ) as string[];
}

function useTimelineNames(entries: HistoryEntry[]): Names {
  const related = entries.flatMap((e) =>
    e.changes
      .filter((c) => c.field.startsWith('relation.'))
      .flatMap((c) => [relatedId(c.from), relatedId(c.to)]),
  );
  return {
    location: useLocationNames(idsIn(entries, 'locationId')),
    user: useUserNames(idsIn(entries, 'assignedUserId')),
    model: useModelNames(idsIn(entries, 'modelId')),
    supplier: useSupplierNames(idsIn(entries, 'supplierId')),
    asset: useAssetNames(related),
  };
}

function formatValue(
  t: TFunction,
  field: string,
  value: unknown,
  ctx: { names: Names; types: AssetType[] },
): string {
  if (value === null || value === undefined || value === '') return t('assets.timeline.empty_value');
  if (typeof value === 'boolean') return value ? t('assets.timeline.yes') : t('assets.timeline.no');
  if (field.startsWith('relation.')) return formatRelated(value, ctx.names);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (field) {
    case 'status':
      return t(`assets.status.${text}`, { defaultValue: text });
    case 'typeId':
      return typeLabel(ctx.types.find((x) => x.id === text));
    case 'locationId':
      return ctx.names.location.get(text) ?? text;
    case 'assignedUserId':
      return ctx.names.user.get(text) ?? text;
    case 'modelId':
      return ctx.names.model.get(text) ?? text;
    case 'supplierId':
      return ctx.names.supplier.get(text) ?? text;
    case 'inventory.memoryMb':
      return typeof value === 'number' ? formatMegabytes(value, 1024) : text;
    default:
      return DATES.has(field) ? formatDate(text) : text;
  }
}

/**
 * A relation change read from this asset's side: `relation.<kind>` where the relation starts here
 * ("Installed in: X"), `relation.<kind>.inverse` where it points here ("Component installed: X").
 * Null for anything else, which falls back to the generic "field: before → after".
 */
function relationLine(t: TFunction, change: Change, names: Names): string | null {
  const match = /^relation\.([a-z_]+)(\.inverse)?$/.exec(change.field);
  const kind = RELATION_KINDS.find((k) => k === match?.[1]);
  const added = change.to !== null && change.to !== undefined;
  const other = added ? change.to : change.from;
  if (!match || !kind || other === null || other === undefined) return null;
  const inverse = Boolean(match[2]);
  const ports = other as { fromPort?: unknown; toPort?: unknown };
  const [mine, theirs] = inverse ? [ports.toPort, ports.fromPort] : [ports.fromPort, ports.toPort];
  const port = (value: unknown) => (typeof value === 'string' && value ? value : '—');
  const portText = [mine, theirs].some((p) => typeof p === 'string' && p)
    ? ` (${port(mine)} ↔ ${port(theirs)})`
    : '';
  const key = `${inverse ? 'inverse' : 'direct'}.${kind}.${added ? 'added' : 'removed'}`;
  return t(`assets.timeline.relationLines.${key}`, { name: formatRelated(other, names) }) + portText;
}

/**
 * An item an inventory found or lost ("Software installed: adduser 3.134"), or a new version of one;
 * null for a single-valued field, which reads as "field: before → after".
 */
function inventoryLine(t: TFunction, change: Change): string | null {
  const item = /^inventory\.([a-z]+)$/.exec(change.field)?.[1];
  if (!item || !INVENTORY_ITEMS.has(item)) return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const has = (v: unknown) => v !== null && v !== undefined && v !== '';
  const key = `assets.timeline.inventoryLines.${item}`;
  if (has(change.to) && !has(change.from)) return t(`${key}.added`, { value: text(change.to) });
  if (has(change.from) && !has(change.to)) return t(`${key}.removed`, { value: text(change.from) });
  return t(`${key}.changed`, { from: text(change.from), to: text(change.to) });
}

/** Who made a change: the person's name, or what Parc calls its own actors (the inventory, the system). */
export function authorOf(t: TFunction, entry: HistoryEntry): string {
  if (entry.authorName) return entry.authorName;
  if (entry.actorId === null) {
    return t(`assets.timeline.actors.${entry.actorLabel}`, { defaultValue: entry.actorLabel });
  }
  return entry.actorLabel;
}

function formatRelated(value: unknown, names: Names): string {
  const other = value as { assetId?: unknown; name?: unknown };
  if (typeof other.name === 'string' && other.name) return other.name;
  const id = relatedId(value);
  return id ? (names.asset.get(id) ?? id) : JSON.stringify(value);
}

function fieldLabel(t: TFunction, change: Change, type: AssetType | undefined): string {
  const known = FIELD_LABELS[change.field];
  if (known) return t(known);
  if (change.field.startsWith('custom.')) {
    const key = change.field.slice('custom.'.length);
    return type?.customFields.find((f) => f.key === key)?.label ?? key;
  }
  if (change.field.startsWith('relation.')) {
    const [kind = '', inverse] = change.field.slice('relation.'.length).split('.');
    const label = t(`assets.relations.${inverse ? 'inverse' : 'kinds'}.${kind}`, { defaultValue: kind });
    return `${t('assets.relations.title')} · ${label}`;
  }
  return change.field;
}

const FOLD_AFTER = 12;
const FOLDED_SHOWN = 8;

/** The lines of one entry; an inventory may bring hundreds (a system upgrade), so long lists fold. */
function ChangeLines({ lines }: { lines: string[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const folded = !open && lines.length > FOLD_AFTER;
  const shown = folded ? lines.slice(0, FOLDED_SHOWN) : lines;
  // The same line may appear twice in one entry (two identical disks): keys count repeats.
  const seen = new Map<string, number>();
  return (
    <>
      {shown.map((line) => {
        const n = (seen.get(line) ?? 0) + 1;
        seen.set(line, n);
        return (
          <Text size="sm" key={`${line}#${n}`}>
            {line}
          </Text>
        );
      })}
      {lines.length > FOLD_AFTER && (
        <Button variant="subtle" size="compact-xs" onClick={() => setOpen((v) => !v)}>
          {open
            ? t('assets.timeline.fewerChanges')
            : t('assets.timeline.moreChanges', { count: lines.length - FOLDED_SHOWN })}
        </Button>
      )}
    </>
  );
}

/** What happened to one asset, newest first: who, when, and each field as "Field: before → after". */
export function AssetTimeline({
  assetId,
  type,
  types,
}: {
  assetId: string;
  type: AssetType | undefined;
  types: AssetType[];
}) {
  const { t } = useTranslation();
  const query = usePagedQuery(['asset', assetId, 'history'], (cursor) => listAssetHistory(assetId, cursor));
  const entries = query.data?.pages.flatMap((p) => p.items) ?? [];
  const names = useTimelineNames(entries);

  return (
    <Card withBorder component="section" aria-labelledby="asset-history">
      <Stack gap="sm">
        <Title order={3} size="h4" id="asset-history">
          {t('assets.timeline.title')}
        </Title>
        {query.isPending && <Skeleton height={120} aria-label={t('app.loading')} />}
        {query.isError && entries.length === 0 && (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        )}
        {query.isSuccess && entries.length === 0 && <Text c="dimmed">{t('assets.timeline.empty')}</Text>}
        {entries.length > 0 && (
          <Timeline bulletSize={14} lineWidth={2} active={entries.length}>
            {entries.map((entry) => (
              <Timeline.Item
                key={entry.id}
                title={t(`assets.timeline.${KINDS.has(entry.kind) ? entry.kind : 'other'}`, {
                  actor: authorOf(t, entry),
                  kind: entry.kind,
                })}
              >
                <Text size="xs" c="dimmed">
                  {formatDateTime(entry.at)}
                  {entry.authorName && entry.authorName !== entry.actorLabel && ` · ${entry.actorLabel}`}
                </Text>
                <ChangeLines
                  lines={entry.changes
                    .filter((c) => entry.kind !== 'created' || c.field === 'status')
                    .map(
                      (c) =>
                        relationLine(t, c, names) ??
                        inventoryLine(t, c) ??
                        t('assets.timeline.change', {
                          field: fieldLabel(t, c, type),
                          from: formatValue(t, c.field, c.from, { names, types }),
                          to: formatValue(t, c.field, c.to, { names, types }),
                        }),
                    )}
                />
                {entry.note && (
                  <Text size="sm" fs="italic">
                    {t('assets.timeline.note', { note: entry.note })}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        {query.isFetchNextPageError && (
          <ErrorAlert error={query.error} onRetry={() => void query.fetchNextPage()} />
        )}
        {query.hasNextPage && (
          <Center>
            <Button
              variant="default"
              size="xs"
              onClick={() => void query.fetchNextPage()}
              loading={query.isFetchingNextPage}
            >
              {t('common.loadMore')}
            </Button>
          </Center>
        )}
      </Stack>
    </Card>
  );
}
