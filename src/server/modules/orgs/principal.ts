import type { Role } from '../../../shared/policy.js';
import type { Ctx, Principal } from '../../context.js';
import { toBool } from '../../db/values.js';
import * as repo from './orgs.repo.js';

/**
 * The acting user with their roles. With an API token, the roles shrink to the token's one role in its
 * one organisation, and only while the user still holds that role there.
 */
export async function loadPrincipal(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  userId: string,
  via:
    | {
        kind: 'session';
        sessionId: string;
        csrfToken: string;
        mustChangePassword: boolean;
        totpEnabled: boolean;
      }
    | { kind: 'token'; tokenId: string; orgId: string; role: Role; totpEnabled: boolean },
): Promise<Principal | undefined> {
  const rows = await repo.findPrincipalRows(ctx, userId);
  const user = rows[0];
  if (!user || toBool(user.disabled)) return undefined;
  const roles: Record<string, Role[]> = {};
  const memberships = new Map<string, { orgId: string; orgName: string; roles: Role[] }>();
  let globalAdmin = false;
  for (const r of rows) {
    // A role in a deleted organisation joins no organisation row: it grants nothing.
    if (!r.org_id || !r.role || r.org_name === null) continue;
    if (via.kind === 'token' && (r.org_id !== via.orgId || r.role !== via.role)) continue;
    roles[r.org_id] = [...(roles[r.org_id] ?? []), r.role];
    const m = memberships.get(r.org_id) ?? { orgId: r.org_id, orgName: r.org_name, roles: [] };
    m.roles.push(r.role);
    memberships.set(r.org_id, m);
    if (toBool(r.is_home) && r.role === 'admin') globalAdmin = true;
  }
  const base = {
    userId,
    roles,
    globalAdmin,
    email: user.email,
    displayName: user.display_name,
    locale: user.locale as 'fr' | 'en' | null,
    memberships: [...memberships.values()],
  };
  if (via.kind === 'token') {
    if (Object.keys(roles).length === 0) return undefined;
    return {
      ...base,
      via: 'token',
      tokenId: via.tokenId,
      mustChangePassword: false,
      totpEnabled: via.totpEnabled,
    };
  }
  return {
    ...base,
    via: 'session',
    sessionId: via.sessionId,
    csrfToken: via.csrfToken,
    mustChangePassword: via.mustChangePassword,
    totpEnabled: via.totpEnabled,
  };
}
