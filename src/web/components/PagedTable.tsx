import { Button, Center, EmptyState, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../shared/schemas/common.js';
import { ErrorAlert } from './ErrorAlert.js';

export type Column<T> = { key: string; header: ReactNode; render: (row: T) => ReactNode };

type PagedQuery<T> = UseInfiniteQueryResult<InfiniteData<Page<T>, string | undefined>, unknown>;

/** A list paged by the server: each page asks for the cursor the previous one returned. */
export function usePagedQuery<T>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  enabled = true,
): PagedQuery<T> {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

type Props<T> = {
  query: PagedQuery<T>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  caption: string;
  emptyText: string;
  emptyAction?: ReactNode;
  /** Content of an expanded row, shown below it across all columns. */
  expanded?: (row: T) => ReactNode | null;
};

/** Loading skeleton, error with retry, designed empty state, and "load more" over server cursors. */
export function PagedTable<T>({
  query,
  columns,
  rowKey,
  caption,
  emptyText,
  emptyAction,
  expanded,
}: Props<T>) {
  const { t } = useTranslation();
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  if (query.isPending) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label={t('app.loading')}>
        {[0, 1, 2, 3, 4].map((i) => (
          <Skeleton key={i} height={36} radius="sm" />
        ))}
      </Stack>
    );
  }
  if (query.isError && rows.length === 0) {
    return (
      <ErrorAlert error={query.error} title={t('common.loadError')} onRetry={() => void query.refetch()} />
    );
  }
  if (rows.length === 0) {
    return (
      <EmptyState title={t('common.emptyTitle')} description={emptyText} py="xl">
        {emptyAction}
      </EmptyState>
    );
  }

  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label={caption}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} scope="col">
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const extra = expanded?.(row);
              return (
                <Fragment key={rowKey(row)}>
                  <Table.Tr>
                    {columns.map((c) => (
                      <Table.Td key={c.key}>{c.render(row)}</Table.Td>
                    ))}
                  </Table.Tr>
                  {extra && (
                    <Table.Tr>
                      <Table.Td colSpan={columns.length}>{extra}</Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {query.isFetchNextPageError && (
        <ErrorAlert error={query.error} onRetry={() => void query.fetchNextPage()} />
      )}
      <Center>
        {query.hasNextPage ? (
          <Button
            variant="default"
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        ) : (
          (query.data?.pages.length ?? 0) > 1 && (
            <Text size="sm" c="dimmed">
              {t('common.allLoaded')}
            </Text>
          )
        )}
      </Center>
      {query.isRefetching && !query.isFetchingNextPage && (
        <Group justify="center">
          <Text size="xs" c="dimmed">
            {t('app.loading')}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
