import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Skeleton,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  deleteLocation,
  getLocation,
  getLocationContents,
  type Location,
  listLocations,
} from '../../api/assets.js';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { usePagedQuery } from '../../components/PagedTable.js';
import { useCan, useSession } from '../../session/session.js';
import { CHILD_KINDS, CreateLocationForm, EditLocationForm } from './LocationForms.js';
import { RackElevation } from './RackElevation.js';

/** The tree of places on the left, the chosen place on the right (its id is in the address). */
export function LocationsPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const can = useCan();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [creatingSite, setCreatingSite] = useState(false);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('locations.title')}</Title>
        {can('catalogue.manage') && (
          <Button onClick={() => setCreatingSite(true)}>{t('locations.create')}</Button>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder component="nav" aria-label={t('locations.tree')}>
            <TreeLevel parentId="root" selected={id ?? null} depth={0} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {id ? <LocationPanel key={id} locationId={id} /> : <Text c="dimmed">{t('locations.select')}</Text>}
        </Grid.Col>
      </Grid>
      <AppModal
        opened={creatingSite}
        onClose={() => setCreatingSite(false)}
        title={t('locations.create')}
        centered
      >
        <CreateLocationForm
          parent={null}
          defaultOrgId={me.memberships[0]?.orgId ?? null}
          onDone={(location) => {
            setCreatingSite(false);
            void queryClient.invalidateQueries({ queryKey: ['locations'] });
            void navigate(`/locations/${location.id}`);
          }}
        />
      </AppModal>
    </Stack>
  );
}

/** One level of the tree, read page by page when it is first shown. */
function TreeLevel({
  parentId,
  selected,
  depth,
}: {
  parentId: string;
  selected: string | null;
  depth: number;
}) {
  const { t } = useTranslation();
  const query = usePagedQuery(['locations', 'children', parentId], (cursor) =>
    listLocations({ parentId, cursor, limit: 100 }),
  );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (query.isPending) return <Skeleton height={24} ml={depth * 16} aria-label={t('app.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" pl={depth * 16 + 28}>
        {depth === 0 ? t('locations.empty') : t('locations.noChildren')}
      </Text>
    );
  }
  return (
    <Stack gap={2} role={depth === 0 ? 'tree' : 'group'}>
      {items.map((l) => (
        <TreeNode key={l.id} location={l} selected={selected} depth={depth} />
      ))}
      {query.hasNextPage && (
        <Button
          size="compact-xs"
          variant="subtle"
          ml={depth * 16 + 28}
          onClick={() => void query.fetchNextPage()}
          loading={query.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

function TreeNode({
  location,
  selected,
  depth,
}: {
  location: Location;
  selected: string | null;
  depth: number;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const leaf = CHILD_KINDS[location.kind].length === 0;
  const active = selected === location.id;
  return (
    <Box role="treeitem" aria-expanded={leaf ? undefined : open} aria-selected={active}>
      <Group gap={4} wrap="nowrap" pl={depth * 16}>
        {leaf ? (
          <Box w={24} />
        ) : (
          <ActionIcon
            size="sm"
            variant="subtle"
            onClick={() => setOpen((o) => !o)}
            aria-label={t(open ? 'locations.collapse' : 'locations.expand', { name: location.name })}
          >
            {open ? '▾' : '▸'}
          </ActionIcon>
        )}
        <UnstyledButton
          component={Link}
          to={`/locations/${location.id}`}
          px={6}
          py={2}
          style={{ borderRadius: 4 }}
          bg={active ? 'blue.0' : undefined}
          aria-current={active ? 'page' : undefined}
        >
          <Text size="sm" fw={active ? 600 : 400}>
            {location.name}{' '}
            <Text span size="xs" c="dimmed">
              {t(`locations.kinds.${location.kind}`)}
            </Text>
          </Text>
        </UnstyledButton>
      </Group>
      {open && <TreeLevel parentId={location.id} selected={selected} depth={depth + 1} />}
    </Box>
  );
}

type Dialog = 'create' | 'edit' | 'move' | 'delete' | null;

function LocationPanel({ locationId }: { locationId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const record = useQuery({ queryKey: ['location', locationId], queryFn: () => getLocation(locationId) });
  const contents = useQuery({
    queryKey: ['location', locationId, 'contents'],
    queryFn: () => getLocationContents(locationId),
  });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [conflict, setConflict] = useState(false);
  const location = record.data?.data;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['location', locationId] });
    void queryClient.invalidateQueries({ queryKey: ['locations'] });
  };
  const remove = useMutation({
    mutationFn: () => deleteLocation(locationId, record.data?.etag ?? null),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('locations.deleted') });
      void queryClient.invalidateQueries({ queryKey: ['locations'] });
      void navigate(location?.parentId ? `/locations/${location.parentId}` : '/locations');
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) {
        setDialog(null);
        setConflict(true);
        remove.reset();
        void record.refetch();
      }
    },
  });

  if (record.isPending) return <Skeleton height={200} aria-label={t('app.loading')} />;
  if (record.isError || !location) {
    return <ErrorAlert error={record.error} onRetry={() => void record.refetch()} />;
  }
  const manage = can('catalogue.manage', { orgId: location.orgId });
  const close = () => setDialog(null);

  return (
    <Card withBorder component="section" aria-labelledby="location-title">
      <Stack>
        <Breadcrumbs separator="›">
          {location.breadcrumb.map((b) =>
            b.id === location.id ? (
              <Text key={b.id} size="sm">
                {b.name}
              </Text>
            ) : (
              <Anchor key={b.id} component={Link} to={`/locations/${b.id}`} size="sm">
                {b.name}
              </Anchor>
            ),
          )}
        </Breadcrumbs>
        <Group justify="space-between" align="flex-start">
          <Group gap="sm">
            <Title order={3} id="location-title">
              {location.name}
            </Title>
            <Badge variant="light">{t(`locations.kinds.${location.kind}`)}</Badge>
          </Group>
          {manage && (
            <Group gap="xs">
              {CHILD_KINDS[location.kind].length > 0 && (
                <Button size="xs" variant="light" onClick={() => setDialog('create')}>
                  {t('locations.createChild')}
                </Button>
              )}
              <Button size="xs" variant="default" onClick={() => setDialog('edit')}>
                {t('locations.rename')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setDialog('move')}>
                {t('locations.move')}
              </Button>
              <Button size="xs" variant="subtle" color="red" onClick={() => setDialog('delete')}>
                {t('common.delete')}
              </Button>
            </Group>
          )}
        </Group>
        <ConflictAlert show={conflict} />
        {location.address && <Text size="sm">{location.address}</Text>}
        {location.rackUnits !== null && (
          <Text size="sm">{`${t('locations.rackUnits')} — ${location.rackUnits} U`}</Text>
        )}
        {location.kind === 'rack' && <RackElevation locationId={location.id} />}
        {contents.isPending && <Skeleton height={60} aria-label={t('app.loading')} />}
        {contents.isError && <ErrorAlert error={contents.error} onRetry={() => void contents.refetch()} />}
        {contents.data && (
          <>
            <Group gap="sm">
              <Text size="sm">{t('locations.assetCount', { count: contents.data.assetCount })}</Text>
              <Anchor component={Link} to={`/assets?locationId=${location.id}`} size="sm">
                {t('locations.seeAssets')}
              </Anchor>
            </Group>
            <Title order={4} size="h5">
              {t('locations.children')}
            </Title>
            {contents.data.children.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('locations.noChildren')}
              </Text>
            ) : (
              <Stack gap={4}>
                {contents.data.children.map((c) => (
                  <Group key={c.id} gap="xs">
                    <Anchor component={Link} to={`/locations/${c.id}`} size="sm">
                      {c.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {t(`locations.kinds.${c.kind}`)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            )}
          </>
        )}
      </Stack>

      <AppModal opened={dialog === 'create'} onClose={close} title={t('locations.createChild')} centered>
        {dialog === 'create' && (
          <CreateLocationForm
            parent={location}
            defaultOrgId={location.orgId}
            onDone={() => {
              close();
              refresh();
            }}
          />
        )}
      </AppModal>
      <AppModal
        opened={dialog === 'edit' || dialog === 'move'}
        onClose={close}
        title={dialog === 'move' ? t('locations.moveTitle', { name: location.name }) : t('locations.rename')}
        centered
      >
        {(dialog === 'edit' || dialog === 'move') && (
          <EditLocationForm
            locationId={location.id}
            mode={dialog}
            onDone={() => {
              close();
              setConflict(false);
              refresh();
            }}
          />
        )}
      </AppModal>
      <ConfirmModal
        opened={dialog === 'delete'}
        title={t('common.delete')}
        message={t('locations.deleteConfirm', { name: location.name })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => {
          close();
          remove.reset();
        }}
      />
    </Card>
  );
}
