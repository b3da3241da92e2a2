import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ConflictAlert({ show }: { show: boolean }) {
  const { t } = useTranslation();
  if (!show) return null;
  return (
    <Alert color="orange" variant="light" title={t('common.conflictTitle')} role="alert">
      {t('common.conflictText')}
    </Alert>
  );
}
