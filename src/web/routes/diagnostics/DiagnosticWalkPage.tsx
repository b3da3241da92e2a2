import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { DiagnosticOutcome, DiagnosticPathStep, DiagnosticWalkResult } from '../../api/diagnostics.js';
import { useCan } from '../../session/session.js';
import { DiagnosticWalker } from './DiagnosticWalker.js';

/**
 * The portal's new-ticket form, filled from an outcome: `orgId`, `categoryId`, `impact`, `urgency`
 * (each left out when the outcome does not set it), `diagnosticTreeId`, and `diagnosticPath`, the
 * path taken as JSON ([{question, answer}], the ticket's `diagnosticPath`).
 */
export function newTicketUrl(
  outcome: DiagnosticOutcome,
  path: DiagnosticPathStep[],
  walk: DiagnosticWalkResult,
) {
  const query = new URLSearchParams({ orgId: walk.orgId });
  if (outcome.categoryId) query.set('categoryId', outcome.categoryId);
  if (outcome.impact) query.set('impact', outcome.impact);
  if (outcome.urgency) query.set('urgency', outcome.urgency);
  query.set('diagnosticTreeId', walk.treeId);
  query.set('diagnosticPath', JSON.stringify(path));
  return `/portal/new?${query.toString()}`;
}

/** A tree walked on its own page (`?preview=1`: the working version, for those who edit it). */
export function DiagnosticWalkPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const can = useCan();
  const navigate = useNavigate();
  const preview = params.get('preview') === '1' && can('diagnostic.manage');
  return (
    <Stack gap="md" maw={760}>
      <Stack gap={2}>
        <Title order={2}>{t('diagnostics.walkPage.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('diagnostics.introRequester')}
        </Text>
      </Stack>
      <DiagnosticWalker
        key={`${id}-${preview}`}
        treeId={id}
        preview={preview}
        showTitle
        onOutcome={(outcome, path, walk) => void navigate(newTicketUrl(outcome, path, walk))}
      />
      <Anchor component={Link} to={preview ? `/diagnostics/${id}` : '/diagnostics'}>
        {t('diagnostics.back')}
      </Anchor>
    </Stack>
  );
}
