import { Alert, Badge, Button, Group, List, Stack, Switch, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { createRule, listRules, type SecurityRule, setRuleEnabled, testRule } from './api.js';
import { SeverityBadge } from './IncidentsTab.js';

const EXAMPLE = `id: root-login-failures
title: Root login failures
severity: medium
detection:
  failed:
    action: login
    outcome: failure
    user: root
  condition: failed
correlation:
  type: event_count
  group-by: [src_ip]
  timespan: 10m
  condition:
    gte: 3
`;

/** The line and column of each problem of a refused rule. */
function RuleProblems({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.code !== 'security_rule.invalid')
    return <ErrorAlert error={error} />;
  const problems =
    (error.problem as unknown as { problems?: Array<{ line: number; col: number; message: string }> })
      .problems ?? [];
  return (
    <Alert color="red" variant="light" title={t('security.ruleInvalid')} role="alert">
      <List size="sm">
        {problems.map((p) => (
          <List.Item key={`${p.line}:${p.col}:${p.message}`}>
            {t('security.problemAt', { line: p.line, col: p.col, message: p.message })}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** Built-in and own detection rules of an organisation: turn on or off, write, test before enabling. */
export function RulesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const [orgId, setOrgId] = useState<string | null>(me.memberships[0]?.orgId ?? null);
  const [yaml, setYaml] = useState(EXAMPLE);
  const queryClient = useQueryClient();
  const rules = useQuery({
    queryKey: ['security', 'rules', orgId],
    queryFn: () => listRules(orgId!),
    enabled: !!orgId,
  });
  const toggle = useMutation({
    mutationFn: ({ rule, enabled }: { rule: SecurityRule; enabled: boolean }) =>
      setRuleEnabled(rule, enabled),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['security', 'rules'] }),
  });
  const test = useMutation({ mutationFn: () => testRule({ orgId: orgId!, yaml }) });
  const save = useMutation({
    mutationFn: () => createRule({ orgId: orgId!, yaml, enabled: true }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['security', 'rules'] }),
  });
  const manage = !!orgId && can('security.manage', { orgId });
  return (
    <Stack gap="md">
      <OrgSelect label={t('security.org')} value={orgId} onChange={setOrgId} only={me.memberships} />
      <ErrorAlert error={rules.error ?? toggle.error} />
      {rules.data && (
        <Table striped verticalSpacing="xs" aria-label={t('security.tabs.rules')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('security.rule')}</Table.Th>
              <Table.Th scope="col">{t('security.severityLabel')}</Table.Th>
              <Table.Th scope="col">{t('security.origin')}</Table.Th>
              <Table.Th scope="col">{t('security.enabled')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data.map((r) => (
              <Table.Tr key={r.ruleId}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {r.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {r.ruleId} — {r.description}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <SeverityBadge severity={r.severity} />
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={r.builtin ? 'gray' : 'blue'}
                    style={{ minWidth: 'max-content' }}
                  >
                    {t(r.builtin ? 'security.builtin' : 'security.custom')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={r.enabled}
                    disabled={!manage || toggle.isPending}
                    onChange={(e) => toggle.mutate({ rule: r, enabled: e.currentTarget.checked })}
                    aria-label={t('security.enableRule', { rule: r.title })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {manage && (
        <Stack gap="xs">
          <Textarea
            label={t('security.newRule')}
            description={t('security.newRuleHelp')}
            value={yaml}
            onChange={(e) => setYaml(e.currentTarget.value)}
            autosize
            minRows={10}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Group>
            <Button variant="light" onClick={() => test.mutate()} loading={test.isPending}>
              {t('security.testRule')}
            </Button>
            <Button onClick={() => save.mutate()} loading={save.isPending}>
              {t('security.saveRule')}
            </Button>
          </Group>
          {(test.error || save.error) && <RuleProblems error={test.error ?? save.error} />}
          {test.data && (
            <Alert
              color="blue"
              variant="light"
              title={t('security.testResult', {
                events: test.data.events,
                detections: test.data.detections.length,
              })}
            >
              <List size="sm">
                {test.data.detections.slice(0, 20).map((d) => (
                  <List.Item key={`${JSON.stringify(d.group)}${d.first}`}>
                    {Object.values(d.group).join(', ')} — {d.count} ({d.first} → {d.last})
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </Stack>
      )}
    </Stack>
  );
}
