import { Alert, Anchor, Badge, Button, Card, Group, List, Skeleton, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client.js';
import {
  type DiagnosticOutcome,
  type DiagnosticPathStep,
  type DiagnosticWalkResult,
  walkDiagnosticTree,
} from '../../api/diagnostics.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { errorMessage } from '../../components/errors.js';
import { currentLanguage } from '../../i18n/index.js';

export type DiagnosticWalkerProps = {
  treeId: string;
  /**
   * The person asks for a ticket from the outcome reached: its category, impact, urgency and priority,
   * and the path taken (the ticket's `diagnosticPath`). Without it, no ticket button is shown.
   */
  onOutcome?: (outcome: DiagnosticOutcome, path: DiagnosticPathStep[], walk: DiagnosticWalkResult) => void;
  /** Called as soon as an outcome is reached (a ticket page may fill its fields from it). */
  onReach?: (outcome: DiagnosticOutcome, path: DiagnosticPathStep[], walk: DiagnosticWalkResult) => void;
  /** The ticket button's text, when the default ("create a ticket…") does not fit the page. */
  actionLabel?: string;
  /** Walk the working document instead of the published one (those who manage trees). */
  preview?: boolean;
  /** Show the tree's title above the question. */
  showTitle?: boolean;
};

/**
 * Walks a diagnostic tree one question at a time: answer buttons, back and restart, the answers given
 * so far, and the outcome (advice, procedure, the ticket it suggests). Every step is checked by the
 * server against the version the walk started on; when the tree was republished meanwhile, the walk
 * says so and starts again.
 */
export function DiagnosticWalker({
  treeId,
  onOutcome,
  onReach,
  actionLabel,
  preview = false,
  showTitle = false,
}: DiagnosticWalkerProps) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<string[]>([]);
  // A new walk (restart) gets its own cache entries; the version is the one its first step answered.
  const [walk, setWalk] = useState(0);
  const version = useRef<number | undefined>(undefined);
  const step = useQuery({
    queryKey: ['diagnostics', 'walk', treeId, preview, walk, answers],
    queryFn: () => walkDiagnosticTree(treeId, { answers, version: version.current, preview }),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const result = step.data;
  useEffect(() => {
    if (result && version.current === undefined) version.current = result.version;
  }, [result]);

  const reached = result && !step.isPlaceholderData ? result : undefined;
  const reachedKey = reached?.outcome ? reached.answers.join('/') : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per outcome reached.
  useEffect(() => {
    if (reached?.outcome) onReach?.(reached.outcome, reached.path, reached);
  }, [reachedKey]);

  const restart = () => {
    version.current = undefined;
    setAnswers([]);
    setWalk((w) => w + 1);
  };

  if (step.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height={28} width="60%" />
        <Skeleton height={36} />
        <Skeleton height={36} />
      </Stack>
    );
  }
  if (step.isError && !result) {
    return <ErrorAlert error={step.error} onRetry={() => void step.refetch()} />;
  }
  const stale = step.isError && isApiError(step.error, 'diagnostic.stale_version');

  return (
    <Stack gap="md">
      {showTitle && result && <Title order={3}>{result.title}</Title>}
      {preview && (
        <Alert color="yellow" variant="light">
          {t('diagnostics.walker.preview')}
        </Alert>
      )}
      {step.isError ? (
        <Alert color={stale ? 'orange' : 'red'} variant="light" role="alert">
          <Stack gap="xs">
            <ErrorText error={step.error} />
            <Group>
              <Button size="xs" variant="white" onClick={restart}>
                {t('diagnostics.walker.restart')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : (
        result && (
          <Step result={result} busy={step.isFetching} onAnswer={(id) => setAnswers([...answers, id])} />
        )
      )}
      {result?.outcome && !step.isError && (
        <OutcomeCard
          result={result}
          outcome={result.outcome}
          onOutcome={onOutcome}
          actionLabel={actionLabel}
        />
      )}
      {result && result.path.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('diagnostics.walker.path')}
          </Text>
          <List size="sm" spacing={2} aria-label={t('diagnostics.walker.path')}>
            {result.path
              .map((p, i) => ({ ...p, answerId: result.answers[i] }))
              .map((p) => (
                <List.Item key={p.answerId}>
                  {p.question} — <strong>{p.answer}</strong>
                </List.Item>
              ))}
          </List>
        </Stack>
      )}
      <Group gap="sm">
        <Button
          variant="default"
          disabled={answers.length === 0 || step.isFetching}
          onClick={() => setAnswers(answers.slice(0, -1))}
        >
          {t('diagnostics.walker.back')}
        </Button>
        <Button variant="subtle" disabled={answers.length === 0 && !step.isError} onClick={restart}>
          {t('diagnostics.walker.restart')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Why the step failed: a replaced version or an answer not offered, explained in a sentence. */
function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <Text size="sm">{errorMessage(t, error)}</Text>;
}

function Step({
  result,
  busy,
  onAnswer,
}: {
  result: DiagnosticWalkResult;
  busy: boolean;
  onAnswer: (answerId: string) => void;
}) {
  const { t } = useTranslation();
  if (result.node.kind !== 'question') return null;
  const headingId = `diagnostic-question-${result.node.id}`;
  return (
    <Card withBorder padding="lg" role="group" aria-labelledby={headingId}>
      <Stack gap="md">
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {t('diagnostics.walker.question', { n: result.path.length + 1 })}
          </Text>
          <Title order={4} id={headingId}>
            {result.node.text}
          </Title>
        </Stack>
        <Group gap="sm" aria-label={t('diagnostics.walker.answers')}>
          {result.node.answers.map((a) => (
            <Button key={a.id} variant="light" disabled={busy} onClick={() => onAnswer(a.id)}>
              {a.label}
            </Button>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}

function OutcomeCard({
  result,
  outcome,
  onOutcome,
  actionLabel,
}: {
  result: DiagnosticWalkResult;
  outcome: DiagnosticOutcome;
  onOutcome?: DiagnosticWalkerProps['onOutcome'];
  actionLabel?: string;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Card withBorder padding="lg" role="region" aria-label={t('diagnostics.walker.outcome')}>
      <Stack gap="sm">
        <Group gap="xs">
          <Badge color={outcome.createTicket ? 'orange' : 'green'} variant="light">
            {t('diagnostics.walker.outcome')}
          </Badge>
        </Group>
        {outcome.text && <Text style={{ whiteSpace: 'pre-wrap' }}>{outcome.text}</Text>}
        {outcome.kbArticleId && (
          <Anchor component={Link} to={`/kb/${outcome.kbArticleId}`}>
            {t('diagnostics.walker.readKb')}
          </Anchor>
        )}
        {outcome.createTicket ? (
          <Group gap="xs">
            {outcome.category && (
              <Badge variant="outline">
                {t('diagnostics.walker.categoryLine', { category: outcome.category.name[lang] })}
              </Badge>
            )}
            <Badge variant="outline">
              {t('diagnostics.walker.priorityLine', { priority: outcome.priority })}
            </Badge>
            {outcome.impact && (
              <Badge variant="outline" color="gray">
                {t('diagnostics.walker.impactLine', { impact: t(`diagnostics.impacts.${outcome.impact}`) })}
              </Badge>
            )}
            {outcome.urgency && (
              <Badge variant="outline" color="gray">
                {t('diagnostics.walker.urgencyLine', {
                  urgency: t(`diagnostics.urgencies.${outcome.urgency}`),
                })}
              </Badge>
            )}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('diagnostics.walker.solved')}
          </Text>
        )}
        {onOutcome && (
          <Group>
            <Button
              variant={outcome.createTicket ? 'filled' : 'subtle'}
              onClick={() => onOutcome(outcome, result.path, result)}
            >
              {actionLabel ??
                (outcome.createTicket
                  ? t('diagnostics.walker.createTicket')
                  : t('diagnostics.walker.createAnyway'))}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
