import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  admin: 'red',
  security_officer: 'grape',
  supervisor: 'indigo',
  technician: 'teal',
  requester: 'gray',
};

export function RoleBadges({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {roles.map((role) => (
        <Badge key={role} size="sm" variant="light" color={COLORS[role] ?? 'gray'}>
          {t(`roles.${role}`, { defaultValue: role })}
        </Badge>
      ))}
    </Group>
  );
}
