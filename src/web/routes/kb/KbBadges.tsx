import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { KbLanguage, KbStatus, KbVisibility } from '../../../shared/schemas/kb.js';

const STATUS_COLOR: Record<KbStatus, string> = { draft: 'yellow', published: 'teal', archived: 'gray' };

/** Status (unless published, the usual case), internal visibility and language of a procedure. */
export function KbBadges({
  status,
  visibility,
  language,
  always = false,
}: {
  status: KbStatus;
  visibility: KbVisibility;
  language: KbLanguage;
  /** Show the status and visibility even when they are the usual ones (on the procedure's page). */
  always?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      {(always || status !== 'published') && (
        <Badge color={STATUS_COLOR[status]} variant="light">
          {t(`kb.status.${status}`)}
        </Badge>
      )}
      {(always || visibility === 'internal') && (
        <Badge color={visibility === 'internal' ? 'grape' : 'blue'} variant="light">
          {t(`kb.visibility.${visibility}`)}
        </Badge>
      )}
      <Badge color="gray" variant="outline" aria-label={t(`kb.language.${language}`)}>
        {language.toUpperCase()}
      </Badge>
    </Group>
  );
}
