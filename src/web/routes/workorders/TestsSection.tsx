import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime } from '../../components/format.js';
import { addTest, listRuns, runTests, type WorkOrderDetail } from './api.js';
import { newTest, type TestDraft, TestFields, testBody } from './TestFields.js';

const OUTCOME_COLORS = { passed: 'teal', failed: 'red', unavailable: 'gray' } as const;

/** Every run of one test, newest first (those of Parc and those agents reported). */
function History({ woId, testId }: { woId: string; testId: string }) {
  const { t } = useTranslation();
  const runs = useQuery({
    queryKey: ['workorders', 'runs', woId, testId],
    queryFn: () => listRuns(woId, testId),
  });
  if (runs.isPending) return <Text size="sm">{t('app.loading')}</Text>;
  if (runs.isError) return <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} />;
  return (
    <Stack gap={2} aria-label={t('workorders.history')}>
      {runs.data.items.map((r) => (
        <Text key={r.id} size="xs">
          <Badge size="xs" color={OUTCOME_COLORS[r.outcome]} variant="light">
            {t(`workorders.outcome.${r.outcome}`)}
          </Badge>{' '}
          {formatDateTime(r.at)} — {r.byLabel}
          {r.source === 'agent' ? ` (${t('workorders.agent')})` : ''} — {r.detail} ({r.durationMs} ms)
        </Text>
      ))}
    </Stack>
  );
}

/** The validation tests: add one on site, run them all, see each one's last result and its history. */
export function TestsSection({
  wo,
  editable,
  onChange,
}: {
  wo: WorkOrderDetail;
  editable: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const run = useMutation({ mutationFn: () => runTests(wo.id), onSuccess: onChange });
  const [draft, setDraft] = useState<TestDraft | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (d: TestDraft) => addTest(wo.id, testBody(d)),
    onSuccess: () => {
      setDraft(null);
      onChange();
    },
  });
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>{t('workorders.tests')}</Title>
        {editable && (
          <Group gap="xs">
            <Button variant="default" onClick={() => setDraft(draft ? null : newTest())}>
              {t('workorders.addTest')}
            </Button>
            {wo.tests.length > 0 && (
              <Button variant="light" loading={run.isPending} onClick={() => run.mutate()}>
                {t('workorders.runTests')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      {draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(draft);
          }}
        >
          <Stack gap="xs">
            <Group align="flex-end" wrap="nowrap">
              <TestFields
                test={draft}
                onChange={(v) => setDraft({ ...draft, ...v })}
                error={add.error}
                path=""
              />
              <Button type="submit" loading={add.isPending}>
                {t('workorders.addTestSubmit')}
              </Button>
            </Group>
            <ErrorAlert
              error={add.error}
              fields={['kind', 'host', 'port', 'url', 'expectedStatus', 'expectedAddress']}
            />
          </Stack>
        </form>
      )}
      {wo.tests.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('workorders.noTests')}
        </Text>
      ) : (
        <Table aria-label={t('workorders.tests')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('workorders.test')}</Table.Th>
              <Table.Th scope="col">{t('workorders.result')}</Table.Th>
              <Table.Th scope="col">{t('workorders.detail')}</Table.Th>
              <Table.Th scope="col">{t('workorders.ranAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {wo.tests.map((x) => (
              <Fragment key={x.id}>
                <Table.Tr>
                  <Table.Td>
                    {x.lastRun ? (
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        onClick={() => setOpenId(openId === x.id ? null : x.id)}
                        aria-expanded={openId === x.id}
                      >
                        {x.label}
                      </Anchor>
                    ) : (
                      x.label
                    )}
                  </Table.Td>
                  <Table.Td>
                    {x.lastRun ? (
                      <Badge color={OUTCOME_COLORS[x.lastRun.outcome]} variant="light">
                        {t(`workorders.outcome.${x.lastRun.outcome}`)}
                      </Badge>
                    ) : (
                      t('workorders.notRun')
                    )}
                  </Table.Td>
                  <Table.Td>{x.lastRun ? `${x.lastRun.detail} (${x.lastRun.durationMs} ms)` : ''}</Table.Td>
                  <Table.Td>
                    {x.lastRun
                      ? `${formatDateTime(x.lastRun.at)} — ${x.lastRun.byLabel}${x.lastRun.source === 'agent' ? ` (${t('workorders.agent')})` : ''}`
                      : ''}
                  </Table.Td>
                </Table.Tr>
                {openId === x.id && (
                  <Table.Tr>
                    <Table.Td colSpan={4}>
                      <History woId={wo.id} testId={x.id} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ErrorAlert error={run.error} fields={[]} />
    </Stack>
  );
}
