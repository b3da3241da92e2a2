import { Skeleton, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Stands in for a form while its record loads, so nothing typed is overwritten when it arrives. */
export function FormSkeleton({ fields = 3 }: { fields?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('app.loading')}>
      {Array.from({ length: fields }, (_, i) => `field-${i}`).map((key) => (
        <Stack key={key} gap={6}>
          <Skeleton height={12} width={120} />
          <Skeleton height={36} />
        </Stack>
      ))}
    </Stack>
  );
}
