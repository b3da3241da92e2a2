import type { z } from 'zod';
import {
  ZApiToken,
  type ZApiTokenCreate,
  ZApiTokenCreated,
  type ZLoginInput,
  ZMe,
  type ZMeUpdate,
  type ZPasswordChange,
  ZRecoveryCodes,
  ZTotpSetup,
} from '../../shared/schemas/auth.js';
import { zPage } from '../../shared/schemas/common.js';
import { isApiError, request, setCsrfToken } from './client.js';

export type Me = z.infer<typeof ZMe>;
export type LoginInput = z.input<typeof ZLoginInput>;
export type MeUpdate = z.input<typeof ZMeUpdate>;
export type PasswordChange = z.input<typeof ZPasswordChange>;
export type TotpSetup = z.infer<typeof ZTotpSetup>;
export type ApiToken = z.infer<typeof ZApiToken>;
export type ApiTokenCreate = z.input<typeof ZApiTokenCreate>;
export type ApiTokenCreated = z.infer<typeof ZApiTokenCreated>;

const ZTokenPage = zPage(ZApiToken);

function remember(me: Me): Me {
  setCsrfToken(me.csrfToken);
  return me;
}

/** The signed-in person, or null when nobody is signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const { data } = await request('GET', '/me', { schema: ZMe });
    return remember(data);
  } catch (err) {
    if (isApiError(err) && err.status === 401) return null;
    throw err;
  }
}

export async function login(input: LoginInput): Promise<Me> {
  const { data } = await request('POST', '/auth/login', { body: input, schema: ZMe });
  return remember(data);
}

export async function logout(): Promise<void> {
  await request('POST', '/auth/logout');
  setCsrfToken(null);
}

export async function logoutAll(): Promise<void> {
  await request('POST', '/auth/logout-all');
  setCsrfToken(null);
}

export async function updateMe(input: MeUpdate): Promise<Me> {
  const { data } = await request('PATCH', '/me', { body: input, schema: ZMe });
  return remember(data);
}

export async function changePassword(input: PasswordChange): Promise<void> {
  await request('POST', '/me/password', { body: input });
}

export async function totpSetup(): Promise<TotpSetup> {
  return (await request('POST', '/me/totp/setup', { schema: ZTotpSetup })).data;
}

export async function totpEnable(code: string): Promise<string[]> {
  return (await request('POST', '/me/totp/enable', { body: { code }, schema: ZRecoveryCodes })).data
    .recoveryCodes;
}

export async function totpDisable(password: string): Promise<void> {
  await request('POST', '/me/totp/disable', { body: { password } });
}

export async function listTokens(cursor?: string) {
  return (await request('GET', '/me/tokens', { query: { limit: 50, cursor }, schema: ZTokenPage })).data;
}

export async function createToken(input: ApiTokenCreate): Promise<ApiTokenCreated> {
  return (await request('POST', '/me/tokens', { body: input, schema: ZApiTokenCreated })).data;
}

export async function revokeToken(id: string): Promise<void> {
  await request('DELETE', `/me/tokens/${encodeURIComponent(id)}`);
}
