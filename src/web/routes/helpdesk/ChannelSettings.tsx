import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  PasswordInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { UNKNOWN_SENDER_RULES } from '../../../shared/schemas/channels.js';
import {
  type AlertToken,
  createAlertToken,
  getAlertTokenStatus,
  getMailbox,
  getMailTemplate,
  listMailMessages,
  listMailTemplates,
  listOutgoingMail,
  type Mailbox,
  type MailTemplate,
  type OutgoingMail,
  resetMailTemplate,
  saveMailbox,
  saveMailTemplate,
} from '../../api/channels.js';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { SecretBox } from '../../components/SecretBox.js';

const is412 = (err: unknown) =>
  err instanceof ApiError && (err.status === 412 || err.code === 'precondition.failed');

function Panel({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  const id = useId();
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id={id}>
            {title}
          </Title>
          {help && (
            <Text size="sm" c="dimmed">
              {help}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

// --- e-mail intake ------------------------------------------------------------------------------

type MailboxValues = {
  enabled: boolean;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
  folder: string;
  processedFolder: string;
  address: string;
  unknownSender: (typeof UNKNOWN_SENDER_RULES)[number];
};

const emptyMailbox = (): MailboxValues => ({
  enabled: true,
  host: '',
  port: 993,
  tls: true,
  username: '',
  password: '',
  folder: 'INBOX',
  processedFolder: '',
  address: '',
  unknownSender: 'create_requester',
});

const valuesOfMailbox = (m: Mailbox): MailboxValues => ({
  enabled: m.enabled,
  host: m.host,
  port: m.port,
  tls: m.tls,
  username: m.username,
  password: '',
  folder: m.folder,
  processedFolder: m.processedFolder ?? '',
  address: m.address ?? '',
  unknownSender: m.unknownSender,
});

const MAILBOX_FIELDS = [
  'enabled',
  'host',
  'port',
  'tls',
  'username',
  'password',
  'folder',
  'processedFolder',
  'address',
  'unknownSender',
] as const;

/** The organisation's IMAP mailbox (the password is write-only) and what became of its latest messages. */
export function MailboxTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mailbox = useQuery({ queryKey: ['mailbox', orgId], queryFn: () => getMailbox(orgId), staleTime: 0 });
  const current = mailbox.data?.data ?? null;
  const [values, setValues] = useState<MailboxValues>(emptyMailbox());
  const [conflict, setConflict] = useState(false);
  const set = (v: Partial<MailboxValues>) => setValues((old) => ({ ...old, ...v }));

  useEffect(() => {
    if (mailbox.data) setValues(valuesOfMailbox(mailbox.data.data));
  }, [mailbox.data]);

  const save = useMutation({
    mutationFn: () =>
      saveMailbox(orgId, current?.version ?? 0, {
        enabled: values.enabled,
        host: values.host.trim(),
        port: values.port,
        tls: values.tls,
        username: values.username.trim(),
        ...(values.password && { password: values.password }),
        folder: values.folder.trim() || 'INBOX',
        processedFolder: values.processedFolder.trim() || null,
        address: values.address.trim() || null,
        unknownSender: values.unknownSender,
      }),
    onSuccess: () => {
      setConflict(false);
      notifications.show({ color: 'teal', message: t('helpdesk.channels.mailbox.saved') });
      void queryClient.invalidateQueries({ queryKey: ['mailbox', orgId] });
    },
    onError: (err) => {
      if (is412(err)) {
        setConflict(true);
        void mailbox.refetch();
      }
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = conflict ? null : save.error;

  if (mailbox.isPending) return <FormSkeleton fields={6} />;
  if (mailbox.isError) return <ErrorAlert error={mailbox.error} onRetry={() => void mailbox.refetch()} />;
  return (
    <Stack>
      <Panel title={t('helpdesk.channels.mailbox.title')} help={t('helpdesk.channels.mailbox.help')}>
        <form onSubmit={onSubmit}>
          <Stack>
            <ConflictAlert show={conflict} />
            <ErrorAlert error={err} fields={MAILBOX_FIELDS} />
            {!current && (
              <Text size="sm" c="dimmed">
                {t('helpdesk.channels.mailbox.none')}
              </Text>
            )}
            {current && (
              <Text size="sm" c="dimmed">
                {current.lastPolledAt
                  ? t('helpdesk.channels.mailbox.lastPolled', { date: formatDateTime(current.lastPolledAt) })
                  : t('helpdesk.channels.mailbox.neverPolled')}
              </Text>
            )}
            {current?.lastError && (
              <Alert color="red" variant="light">
                {t('helpdesk.channels.mailbox.lastError', { error: current.lastError })}
              </Alert>
            )}
            <Switch
              label={t('helpdesk.channels.mailbox.enabled')}
              checked={values.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('helpdesk.channels.mailbox.host')}
                value={values.host}
                onChange={(e) => set({ host: e.currentTarget.value })}
                required
                maxLength={253}
                error={fieldError(err, 'host')}
              />
              <NumberInput
                label={t('helpdesk.channels.mailbox.port')}
                value={values.port}
                onChange={(v) => set({ port: Number(v) || 0 })}
                min={1}
                max={65535}
                allowDecimal={false}
                required
                error={fieldError(err, 'port')}
              />
              <Switch
                mt={{ sm: 'xl' }}
                label={t('helpdesk.channels.mailbox.tls')}
                checked={values.tls}
                onChange={(e) => set({ tls: e.currentTarget.checked })}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('helpdesk.channels.mailbox.username')}
                value={values.username}
                onChange={(e) => set({ username: e.currentTarget.value })}
                required
                maxLength={320}
                autoComplete="off"
                error={fieldError(err, 'username')}
              />
              <PasswordInput
                label={t('helpdesk.channels.mailbox.password')}
                description={current?.hasPassword ? t('helpdesk.channels.mailbox.passwordHelp') : undefined}
                placeholder={
                  current?.hasPassword ? t('helpdesk.channels.mailbox.passwordUnchanged') : undefined
                }
                value={values.password}
                onChange={(e) => set({ password: e.currentTarget.value })}
                required={!current?.hasPassword}
                autoComplete="new-password"
                error={fieldError(err, 'password')}
              />
              <TextInput
                label={t('helpdesk.channels.mailbox.folder')}
                value={values.folder}
                onChange={(e) => set({ folder: e.currentTarget.value })}
                maxLength={200}
                error={fieldError(err, 'folder')}
              />
              <TextInput
                label={t('helpdesk.channels.mailbox.processedFolder')}
                description={t('helpdesk.channels.mailbox.processedFolderHelp')}
                value={values.processedFolder}
                onChange={(e) => set({ processedFolder: e.currentTarget.value })}
                maxLength={200}
                error={fieldError(err, 'processedFolder')}
              />
              <TextInput
                type="email"
                label={t('helpdesk.channels.mailbox.address')}
                description={t('helpdesk.channels.mailbox.addressHelp')}
                value={values.address}
                onChange={(e) => set({ address: e.currentTarget.value })}
                maxLength={320}
                error={fieldError(err, 'address')}
              />
            </SimpleGrid>
            <Radio.Group
              label={t('helpdesk.channels.mailbox.unknownSender')}
              value={values.unknownSender}
              onChange={(v) => set({ unknownSender: v as MailboxValues['unknownSender'] })}
              error={fieldError(err, 'unknownSender')}
            >
              <Stack gap={6} mt={6}>
                {UNKNOWN_SENDER_RULES.map((rule) => (
                  <Radio key={rule} value={rule} label={t(`helpdesk.channels.mailbox.unknown.${rule}`)} />
                ))}
              </Stack>
            </Radio.Group>
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!values.host.trim() || !values.username.trim()}
              >
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Panel>
      <MailMessages orgId={orgId} />
    </Stack>
  );
}

const OUTCOME_COLORS: Record<string, string> = {
  ticket: 'teal',
  followup: 'blue',
  ignored: 'gray',
  refused: 'red',
};

function MailMessages({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const messages = useQuery({
    queryKey: ['mailbox', orgId, 'messages'],
    queryFn: () => listMailMessages(orgId, 50),
  });
  const caption = t('helpdesk.channels.mailbox.messages');
  return (
    <Panel title={caption}>
      {messages.isPending && <FormSkeleton fields={2} />}
      {messages.isError && <ErrorAlert error={messages.error} onRetry={() => void messages.refetch()} />}
      {messages.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('helpdesk.channels.mailbox.messagesEmpty')}
        </Text>
      )}
      {messages.data && messages.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={caption}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('helpdesk.channels.mailbox.processedAt')}</Table.Th>
                <Table.Th>{t('helpdesk.channels.mailbox.from')}</Table.Th>
                <Table.Th>{t('helpdesk.channels.mailbox.subject')}</Table.Th>
                <Table.Th>{t('helpdesk.channels.mailbox.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data.map((m) => (
                <Table.Tr key={m.messageKey}>
                  <Table.Td>{formatDateTime(m.processedAt)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{m.from ?? '—'}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    {m.ticketId ? (
                      <Anchor component={Link} to={`/tickets/${m.ticketId}`} size="sm">
                        {m.subject || '—'}
                      </Anchor>
                    ) : (
                      m.subject || '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={OUTCOME_COLORS[m.outcome] ?? 'gray'}>
                      {t(`helpdesk.channels.mailbox.outcomes.${m.outcome}`)}
                    </Badge>
                    {m.reason && (
                      <Text size="xs" c="dimmed">
                        {m.reason}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}

// --- Alertmanager -------------------------------------------------------------------------------

/** The `receivers` entry of alertmanager.yml that posts to Parc with the token. */
export function alertmanagerYaml(url: string, token: string): string {
  return [
    'receivers:',
    '  - name: parc',
    '    webhook_configs:',
    `      - url: ${url}`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${token}`,
  ].join('\n');
}

/** The Alertmanager webhook token: its state, and a new one shown once with the URL and the YAML. */
export function AlertsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['alert-token', orgId], queryFn: () => getAlertTokenStatus(orgId) });
  const [created, setCreated] = useState<AlertToken | null>(null);
  const create = useMutation({
    mutationFn: () => createAlertToken(orgId),
    onSuccess: (token) => {
      setCreated(token);
      void queryClient.invalidateQueries({ queryKey: ['alert-token', orgId] });
    },
  });
  const url = `${window.location.origin}/api/v1/helpdesk/alerts/${orgId}`;
  const webhookUrl = created ? `${window.location.origin}${created.webhookPath}` : url;
  return (
    <Panel title={t('helpdesk.channels.alerts.title')} help={t('helpdesk.channels.alerts.help')}>
      {status.isError && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
      <ErrorAlert error={create.error} />
      <div>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {t('helpdesk.channels.alerts.url')}
        </Text>
        <Code>{webhookUrl}</Code>
      </div>
      {status.data && (
        <Text size="sm">
          {status.data.exists && status.data.createdAt
            ? t('helpdesk.channels.alerts.exists', { date: formatDateTime(status.data.createdAt) })
            : t('helpdesk.channels.alerts.none')}
        </Text>
      )}
      {created && (
        <Alert color="orange" variant="light" title={t('helpdesk.channels.alerts.onceTitle')}>
          <Stack gap="sm">
            <SecretBox value={created.token} label={t('helpdesk.channels.alerts.token')} />
            <Text size="sm" fw={600}>
              {t('helpdesk.channels.alerts.yaml')}
            </Text>
            <SecretBox
              value={alertmanagerYaml(webhookUrl, created.token)}
              label={t('helpdesk.channels.alerts.yaml')}
            />
          </Stack>
        </Alert>
      )}
      <Group justify="space-between">
        {status.data?.exists && (
          <Text size="xs" c="dimmed">
            {t('helpdesk.channels.alerts.renewHelp')}
          </Text>
        )}
        <Button
          ml="auto"
          variant={status.data?.exists ? 'default' : 'filled'}
          loading={create.isPending}
          disabled={!status.data}
          onClick={() => create.mutate()}
        >
          {status.data?.exists ? t('helpdesk.channels.alerts.renew') : t('helpdesk.channels.alerts.create')}
        </Button>
      </Group>
    </Panel>
  );
}

// --- mail templates -----------------------------------------------------------------------------

/** Every template the API knows, per language: Parc's wording or the organisation's own. */
export function TemplatesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const templates = useQuery({
    queryKey: ['mail-templates', orgId],
    queryFn: () => listMailTemplates(orgId),
  });
  const [editing, setEditing] = useState<MailTemplate | null>(null);
  const caption = t('helpdesk.channels.templates.title');
  return (
    <Panel title={caption} help={t('helpdesk.channels.templates.help')}>
      {templates.isPending && <FormSkeleton fields={3} />}
      {templates.isError && <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('helpdesk.channels.templates.empty')}
        </Text>
      )}
      {templates.data && templates.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={caption}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('helpdesk.channels.templates.key')}</Table.Th>
                <Table.Th>{t('helpdesk.channels.templates.locale')}</Table.Th>
                <Table.Th>{t('helpdesk.channels.templates.subject')}</Table.Th>
                <Table.Th>{t('helpdesk.channels.templates.wording')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {templates.data.map((tpl) => (
                <Table.Tr key={`${tpl.key}/${tpl.locale}`}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {tpl.key}
                    </Text>
                    {tpl.description && (
                      <Text size="xs" c="dimmed">
                        {tpl.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`language.${tpl.locale}`)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{tpl.subject}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={tpl.custom ? 'grape' : 'gray'}>
                      {tpl.custom
                        ? t('helpdesk.channels.templates.custom')
                        : t('helpdesk.channels.templates.default')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      aria-label={t('helpdesk.channels.templates.editNamed', {
                        key: tpl.key,
                        locale: tpl.locale,
                      })}
                      onClick={() => setEditing(tpl)}
                    >
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AppModal
        opened={!!editing}
        onClose={() => setEditing(null)}
        title={
          editing
            ? t('helpdesk.channels.templates.editTitle', { key: editing.key, locale: editing.locale })
            : ''
        }
        centered
        size="xl"
      >
        {editing && (
          <TemplateForm
            key={`${editing.key}/${editing.locale}`}
            template={editing}
            onDone={() => setEditing(null)}
          />
        )}
      </AppModal>
    </Panel>
  );
}

function TemplateForm({ template, onDone }: { template: MailTemplate; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const queryKey = ['mail-template', template.orgId, template.key, template.locale];
  const record = useQuery({
    queryKey,
    queryFn: () => getMailTemplate(template.orgId, template.key, template.locale),
    staleTime: 0,
    gcTime: 0,
  });
  const [subject, setSubject] = useState(template.subject);
  const [text, setText] = useState(template.text);
  const [conflict, setConflict] = useState(false);
  useEffect(() => {
    if (record.data) {
      setSubject(record.data.data.subject);
      setText(record.data.data.text);
    }
  }, [record.data]);
  const latest = record.data?.data ?? template;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['mail-templates', template.orgId] });
  const save = useMutation({
    mutationFn: () =>
      saveMailTemplate(
        latest,
        { subject: subject.trim(), text, html: latest.html },
        record.data?.etag ?? null,
      ),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('helpdesk.channels.templates.saved') });
      refresh();
      onDone();
    },
    onError: (err) => {
      if (is412(err)) {
        setConflict(true);
        void record.refetch();
      }
    },
  });
  const reset = useMutation({
    mutationFn: () => resetMailTemplate(latest),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('helpdesk.channels.templates.resetDone') });
      refresh();
      onDone();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setConflict(false);
    save.mutate();
  };
  const err = conflict ? null : (save.error ?? reset.error);
  if (record.isPending) return <FormSkeleton fields={2} />;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={conflict} />
        <ErrorAlert error={err} fields={['subject', 'text', 'html']} />
        {latest.variables.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('helpdesk.channels.templates.variables', {
              list: latest.variables.map((v) => `{{${v}}}`).join(', '),
              interpolation: { escapeValue: false },
            })}
          </Text>
        )}
        <TextInput
          label={t('helpdesk.channels.templates.subject')}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          required
          maxLength={500}
          error={fieldError(err, 'subject')}
          data-autofocus
        />
        <Textarea
          label={t('helpdesk.channels.templates.text')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={8}
          maxRows={24}
          required
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          error={fieldError(err, 'text')}
        />
        <Group justify="space-between">
          {latest.custom ? (
            <Button variant="subtle" color="red" loading={reset.isPending} onClick={() => reset.mutate()}>
              {t('helpdesk.channels.templates.reset')}
            </Button>
          ) : (
            <span />
          )}
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!subject.trim() || !text.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

// --- outgoing mail ------------------------------------------------------------------------------

const MAIL_STATUS_COLORS: Record<OutgoingMail['status'], string> = {
  queued: 'blue',
  retrying: 'orange',
  sent: 'teal',
  failed: 'red',
};

/** What left, what waits for another attempt, and why not. */
export function OutgoingTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const query = usePagedQuery(['mail-outgoing', orgId], (cursor) => listOutgoingMail(orgId, cursor));
  const columns: Column<OutgoingMail>[] = [
    {
      key: 'createdAt',
      header: t('helpdesk.channels.outgoing.createdAt'),
      render: (m) => formatDateTime(m.createdAt),
    },
    {
      key: 'to',
      header: t('helpdesk.channels.outgoing.to'),
      render: (m) => <span style={{ overflowWrap: 'anywhere' }}>{m.to}</span>,
    },
    {
      key: 'subject',
      header: t('helpdesk.channels.outgoing.subject'),
      render: (m) => <span style={{ overflowWrap: 'anywhere' }}>{m.subject}</span>,
    },
    {
      key: 'status',
      header: t('helpdesk.channels.outgoing.status'),
      render: (m) => (
        <Badge variant="light" color={MAIL_STATUS_COLORS[m.status]}>
          {t(`helpdesk.channels.outgoing.statuses.${m.status}`)}
        </Badge>
      ),
    },
    { key: 'attempts', header: t('helpdesk.channels.outgoing.attempts'), render: (m) => m.attempts },
    {
      key: 'lastError',
      header: t('helpdesk.channels.outgoing.lastError'),
      render: (m) =>
        m.lastError ? (
          <Text size="xs" c="red.7" style={{ overflowWrap: 'anywhere' }}>
            {m.lastError}
          </Text>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Panel title={t('helpdesk.channels.outgoing.title')} help={t('helpdesk.channels.outgoing.help')}>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(m) => m.id}
        caption={t('helpdesk.channels.outgoing.title')}
        emptyText={t('helpdesk.channels.outgoing.empty')}
      />
    </Panel>
  );
}
