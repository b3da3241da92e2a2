import type { Config } from './config.js';
import { type Ctx, systemPrincipal } from './context.js';
import { countUsers, createOrganisation, createUser, findHomeOrganisation } from './modules/orgs/index.js';

export type BootstrapResult =
  | { created: false }
  | { created: true; email: string; generatedPassword?: string };

/**
 * First start: with no user at all, create the home organisation and its administrator, from
 * PARC_ADMIN_EMAIL / PARC_ADMIN_PASSWORD, or with a generated password to change at first login.
 */
export async function bootstrap(ctx: Omit<Ctx, 'actor'>, config: Config): Promise<BootstrapResult> {
  const sys: Ctx = { ...ctx, actor: systemPrincipal('bootstrap') };
  if ((await countUsers(sys)) > 0) return { created: false };
  const home =
    (await findHomeOrganisation(sys)) ??
    (await createOrganisation(
      sys,
      { name: 'Parc', slug: 'home', timeZone: 'Europe/Paris', locale: 'fr' },
      { home: true },
    ));
  const email = config.admin.email ?? 'admin@parc.local';
  const given = config.admin.password;
  const { temporaryPassword } = await createUser(
    sys,
    { email, displayName: 'Administrator', password: given, locale: null, orgId: home.id, roles: ['admin'] },
    { mustChangePassword: !given },
  );
  return temporaryPassword
    ? { created: true, email, generatedPassword: temporaryPassword }
    : { created: true, email };
}
