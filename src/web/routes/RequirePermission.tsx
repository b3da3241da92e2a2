import { Alert } from '@mantine/core';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action } from '../../shared/policy.js';
import { useCan } from '../session/session.js';

/** The menu hides what a person may not do; this guards the same pages when reached by address. */
export function RequirePermission({ action, element }: { action: Action; element: ReactElement }) {
  const { t } = useTranslation();
  const can = useCan();
  if (!can(action)) {
    return (
      <Alert color="yellow" title={t('common.forbidden')} role="alert">
        {t('errors.auth.forbidden')}
      </Alert>
    );
  }
  return element;
}
