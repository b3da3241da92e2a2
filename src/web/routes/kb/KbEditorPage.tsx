import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import {
  KB_LANGUAGES,
  KB_LIMITS,
  KB_VISIBILITIES,
  type KbLanguage,
  type KbVisibility,
} from '../../../shared/schemas/kb.js';
import {
  createKbArticle,
  getKbArticle,
  type KbArticle,
  type KbArticleCreate,
  updateKbArticle,
} from '../../api/kb.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan, useSession } from '../../session/session.js';
import { Markdown } from './Markdown.js';

type Values = {
  title: string;
  symptoms: string;
  cause: string;
  resolution: string;
  language: KbLanguage;
  visibility: KbVisibility;
  tags: string[];
  appliesToSoftware: string[];
};
const FIELDS = [
  'orgId',
  'title',
  'symptoms',
  'cause',
  'resolution',
  'language',
  'visibility',
  'tags',
  'appliesToSoftware',
  'changeNote',
  'status',
];

const empty = (): Values => ({
  title: '',
  symptoms: '',
  cause: '',
  resolution: '',
  language: 'fr',
  visibility: 'internal',
  tags: [],
  appliesToSoftware: [],
});

const valuesOf = (a: Partial<KbArticleCreate> | KbArticle): Values => ({
  title: a.title ?? '',
  symptoms: a.symptoms ?? '',
  cause: a.cause ?? '',
  resolution: a.resolution ?? '',
  language: a.language ?? 'fr',
  visibility: a.visibility ?? 'internal',
  tags: a.tags ?? [],
  appliesToSoftware: a.appliesToSoftware ?? [],
});

/**
 * A new procedure, or one being edited (`/kb/:id/edit`). A new one may arrive pre-filled in the
 * navigation state (`{ draft }`, from "write a procedure from this resolved ticket").
 */
export function KbEditorPage() {
  const { id } = useParams();
  return id ? <EditArticle id={id} /> : <NewArticle />;
}

function NewArticle() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const draft = (useLocation().state as { draft?: Partial<KbArticleCreate> } | null)?.draft;
  const [orgId, setOrgId] = useState<string | null>(
    draft?.orgId ?? me.memberships.find((m) => can('kb.manage', { orgId: m.orgId }))?.orgId ?? null,
  );
  const [values, setValues] = useState<Values>(draft ? valuesOf(draft) : empty());
  const create = useMutation({
    mutationFn: (status: 'draft' | 'published') =>
      createKbArticle({
        ...values,
        orgId: orgId ?? '',
        status,
        appliesToModels: draft?.appliesToModels ?? [],
        sourceTicketId: draft?.sourceTicketId ?? null,
      }),
    onSuccess: (article) => {
      notifications.show({
        color: 'teal',
        message: article.status === 'published' ? t('kb.published') : t('kb.created'),
      });
      void queryClient.invalidateQueries({ queryKey: ['kb'] });
      void navigate(`/kb/${article.id}`);
    },
  });
  const submit = (status: 'draft' | 'published') => (event?: FormEvent) => {
    event?.preventDefault();
    create.mutate(status);
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/kb" size="sm">
        ← {t('kb.back')}
      </Anchor>
      <Title order={2}>{t('kb.newTitle')}</Title>
      {draft?.sourceTicketId && (
        <Alert color="blue" variant="light">
          {t('kb.fromTicket', { id: draft.sourceTicketId })}
        </Alert>
      )}
      <form onSubmit={submit('draft')}>
        <Stack>
          <ErrorAlert error={create.error} fields={FIELDS} />
          <OrgSelect
            label={t('kb.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(create.error, 'orgId')}
          />
          <ArticleFields
            values={values}
            set={(v) => setValues((old) => ({ ...old, ...v }))}
            error={create.error}
          />
          <Group justify="flex-end">
            <Button
              type="submit"
              variant="default"
              loading={create.isPending && create.variables === 'draft'}
            >
              {t('kb.saveDraft')}
            </Button>
            <Button
              onClick={() => submit('published')()}
              loading={create.isPending && create.variables === 'published'}
              disabled={!values.resolution.trim()}
            >
              {t('kb.publish')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function EditArticle({ id }: { id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values | null>(null);
  const [changeNote, setChangeNote] = useState('');
  const edit = useVersionedEdit({
    queryKey: ['kb', 'article', id, 'edit'],
    load: () => getKbArticle(id),
    save: (etag) => updateKbArticle(id, { ...values!, changeNote: changeNote.trim() || undefined }, etag),
    reset: (a: KbArticle) => setValues(valuesOf(a)),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('kb.saved') });
      void queryClient.invalidateQueries({ queryKey: ['kb'] });
      void navigate(`/kb/${id}`);
    },
  });
  const back = (
    <Anchor component={Link} to={`/kb/${id}`} size="sm">
      ← {t('kb.backToArticle')}
    </Anchor>
  );
  if (edit.record.isError) {
    return (
      <Stack>
        {back}
        <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />
      </Stack>
    );
  }
  if (edit.record.isPending || !values) return <FormSkeleton fields={6} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutation.mutate();
  };
  return (
    <Stack gap="md">
      {back}
      <Title order={2}>{t('kb.editTitle')}</Title>
      <form onSubmit={onSubmit}>
        <Stack>
          <ConflictAlert show={edit.conflict} />
          <ErrorAlert error={edit.error} fields={FIELDS} />
          <ArticleFields
            values={values}
            set={(v) => setValues((old) => ({ ...old!, ...v }))}
            error={edit.error}
          />
          <TextInput
            label={t('kb.changeNote')}
            description={t('kb.changeNoteHelp')}
            value={changeNote}
            onChange={(e) => setChangeNote(e.currentTarget.value)}
            maxLength={KB_LIMITS.changeNote}
            error={fieldError(edit.error, 'changeNote')}
          />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to={`/kb/${id}`}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={edit.mutation.isPending} disabled={!values.title.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function ArticleFields({
  values,
  set,
  error,
}: {
  values: Values;
  set: (v: Partial<Values>) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={t('kb.titleLabel')}
        description={t('kb.titleHelp')}
        value={values.title}
        onChange={(e) => set({ title: e.currentTarget.value })}
        maxLength={KB_LIMITS.title}
        required
        error={fieldError(error, 'title')}
      />
      <Textarea
        label={t('kb.symptoms')}
        description={t('kb.symptomsHelp')}
        value={values.symptoms}
        onChange={(e) => set({ symptoms: e.currentTarget.value })}
        autosize
        minRows={3}
        maxLength={KB_LIMITS.text}
        error={fieldError(error, 'symptoms')}
      />
      <Textarea
        label={t('kb.cause')}
        value={values.cause}
        onChange={(e) => set({ cause: e.currentTarget.value })}
        autosize
        minRows={2}
        maxLength={KB_LIMITS.text}
        error={fieldError(error, 'cause')}
      />
      <Card withBorder padding="sm">
        <Tabs defaultValue="write" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="write">{t('kb.write')}</Tabs.Tab>
            <Tabs.Tab value="preview">{t('kb.preview')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="sm">
            <Textarea
              label={t('kb.resolution')}
              description={t('kb.resolutionHelp')}
              value={values.resolution}
              onChange={(e) => set({ resolution: e.currentTarget.value })}
              autosize
              minRows={6}
              maxLength={KB_LIMITS.resolution}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              error={fieldError(error, 'resolution')}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="sm">
            {values.resolution.trim() ? (
              <Markdown text={values.resolution} />
            ) : (
              <Text c="dimmed" size="sm">
                {t('kb.previewEmpty')}
              </Text>
            )}
          </Tabs.Panel>
        </Tabs>
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('kb.languageLabel')}
          data={KB_LANGUAGES.map((l) => ({ value: l, label: t(`kb.language.${l}`) }))}
          value={values.language}
          onChange={(v) => set({ language: (v as KbLanguage | null) ?? 'fr' })}
          allowDeselect={false}
          error={fieldError(error, 'language')}
        />
        <Select
          label={t('kb.visibilityLabel')}
          data={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibilityChoice.${v}`) }))}
          value={values.visibility}
          onChange={(v) => set({ visibility: (v as KbVisibility | null) ?? 'internal' })}
          allowDeselect={false}
          error={fieldError(error, 'visibility')}
        />
        <TagsInput
          label={t('kb.tags')}
          description={t('kb.tagsHelp')}
          value={values.tags}
          onChange={(tags) => set({ tags })}
          maxTags={KB_LIMITS.tags}
          splitChars={[',']}
          clearable
          error={fieldError(error, 'tags')}
        />
        <TagsInput
          label={t('kb.software')}
          description={t('kb.softwareHelp')}
          value={values.appliesToSoftware}
          onChange={(appliesToSoftware) => set({ appliesToSoftware })}
          maxTags={KB_LIMITS.software}
          clearable
          error={fieldError(error, 'appliesToSoftware')}
        />
      </SimpleGrid>
    </>
  );
}
