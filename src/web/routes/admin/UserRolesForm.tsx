import { Button, Divider, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../shared/policy.js';
import { type RoleName, setUserRoles, type User } from '../../api/orgs.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan } from '../../session/session.js';

/** Roles per organisation: one row per membership, saved one organisation at a time. */
export function UserRolesForm({ user: initial }: { user: User }) {
  const { t } = useTranslation();
  const [user, setUser] = useState(initial);
  const [newOrg, setNewOrg] = useState<string | null>(null);
  const known = new Set(user.memberships.map((m) => m.orgId));
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('users.rolesHelp')}
      </Text>
      {user.memberships.map((m) => (
        <OrgRoles
          key={m.orgId}
          userId={user.id}
          orgId={m.orgId}
          orgName={m.orgName}
          roles={m.roles}
          onSaved={setUser}
        />
      ))}
      <Divider label={t('users.addOrg')} labelPosition="left" />
      <OrgSelect label={t('users.org')} value={newOrg} onChange={setNewOrg} clearable />
      {newOrg && !known.has(newOrg) && (
        <OrgRoles
          key={newOrg}
          userId={user.id}
          orgId={newOrg}
          orgName=""
          roles={[]}
          onSaved={(u) => {
            setUser(u);
            setNewOrg(null);
          }}
        />
      )}
    </Stack>
  );
}

type OrgRolesProps = {
  userId: string;
  orgId: string;
  orgName: string;
  roles: readonly RoleName[];
  onSaved: (user: User) => void;
};

function OrgRoles({ userId, orgId, orgName, roles: initial, onSaved }: OrgRolesProps) {
  const { t } = useTranslation();
  const can = useCan();
  const [roles, setRoles] = useState<RoleName[]>([...initial]);
  const save = useMutation({
    mutationFn: () => setUserRoles(userId, orgId, roles),
    onSuccess: (user) => {
      notifications.show({ color: 'teal', message: t('users.rolesSaved') });
      onSaved(user);
    },
  });
  const changed = roles.slice().sort().join() !== [...initial].sort().join();
  return (
    <Stack gap={6}>
      <Group align="flex-end" wrap="nowrap">
        <MultiSelect
          label={orgName || t('users.roles')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={roles}
          onChange={(v) => setRoles(v as RoleName[])}
          disabled={!can('user.manage', { orgId })}
          error={fieldError(save.error, 'roles')}
          style={{ flex: 1 }}
        />
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!changed}
          aria-label={`${t('common.save')} ${orgName}`}
        >
          {t('common.save')}
        </Button>
      </Group>
      <ErrorAlert error={save.error} fields={['roles']} />
    </Stack>
  );
}
