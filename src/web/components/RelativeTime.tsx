import { Text, type TextProps, Tooltip } from '@mantine/core';
import { formatDateTime, formatRelative } from './format.js';

/** "il y a 3 jours", with the exact date and time on hover and in the markup. */
export function RelativeTime({ iso, ...props }: { iso: string | null | undefined } & TextProps) {
  if (!iso) {
    return (
      <Text c="dimmed" size="sm" {...props}>
        —
      </Text>
    );
  }
  const exact = formatDateTime(iso);
  return (
    <Tooltip label={exact} withArrow openDelay={150}>
      <Text component="time" dateTime={iso} size="sm" style={{ whiteSpace: 'nowrap' }} {...props}>
        {formatRelative(iso)}
      </Text>
    </Tooltip>
  );
}
