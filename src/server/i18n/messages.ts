export type Locale = 'fr' | 'en';

type Catalogue = Record<string, { title: string; detail?: string }>;

/**
 * Server-side messages: problem titles and details. The web translates by code with its own catalogue;
 * these are for API users and scripts, chosen by Accept-Language.
 */
const en: Catalogue = {
  'validation.failed': { title: 'Invalid request', detail: 'Some fields are invalid.' },
  'request.malformed_json': { title: 'Malformed JSON', detail: 'The request body is not valid JSON.' },
  'request.too_large': { title: 'Request too large', detail: 'The request body exceeds {limit} bytes.' },
  'request.unsupported_media_type': { title: 'Unsupported media type', detail: 'Send application/json.' },
  'request.not_found': { title: 'Not found', detail: 'No route {method} {url}.' },
  'request.rate_limited': { title: 'Too many requests', detail: 'Retry in {retryAfter} seconds.' },
  'server.error': {
    title: 'Internal error',
    detail: 'An unexpected error occurred; quote request {requestId}.',
  },
  'auth.unauthenticated': { title: 'Authentication required', detail: 'Log in or send an API token.' },
  'auth.forbidden': { title: 'Forbidden', detail: 'Your roles do not allow this action.' },
  'auth.csrf': { title: 'Missing CSRF proof', detail: 'Send the X-CSRF-Token header given at login.' },
  'auth.invalid_credentials': { title: 'Invalid credentials', detail: 'Wrong e-mail or password.' },
  'auth.otp_required': {
    title: 'Second factor required',
    detail: 'Enter the code of your authenticator app.',
  },
  'auth.otp_invalid': { title: 'Invalid code', detail: 'The code is wrong or expired.' },
  'auth.locked': {
    title: 'Account temporarily locked',
    detail: 'Too many failures; retry in {retryAfter} seconds.',
  },
  'auth.rate_limited': {
    title: 'Too many attempts',
    detail: 'Too many login attempts; retry in {retryAfter} seconds.',
  },
  'auth.password_change_required': {
    title: 'Password change required',
    detail: 'Change your password first.',
  },
  'auth.wrong_password': { title: 'Wrong password', detail: 'The current password is wrong.' },
  'auth.totp_not_setup': { title: 'Two-factor setup not started', detail: 'Start the setup first.' },
  'auth.totp_already_enabled': { title: 'Two-factor already enabled', detail: 'Disable it first.' },
  'auth.role_not_held': {
    title: 'Role not held',
    detail: 'You do not hold the role {role} in this organisation.',
  },
  'precondition.failed': {
    title: 'Changed by someone else',
    detail: 'The record changed since you read it (version {currentVersion}); reload it.',
  },
  'precondition.required': {
    title: 'If-Match required',
    detail: 'Send the ETag you read in an If-Match header.',
  },
  'conflict.duplicate': { title: 'Already exists', detail: 'Another record already has this {field}.' },
  'org.not_found': { title: 'Organisation not found' },
  'org.home_required': { title: 'Home organisation', detail: 'The home organisation cannot be removed.' },
  'user.not_found': { title: 'User not found' },
  'user.last_admin': {
    title: 'Last administrator',
    detail: 'The home organisation must keep at least one administrator.',
  },
  'user.self_disable': { title: 'Not on yourself', detail: 'You cannot disable your own account.' },
  'group.not_found': { title: 'Group not found' },
  'group.member_not_in_org': {
    title: 'Member outside the organisation',
    detail: 'Every member must belong to the group organisation.',
  },
  'token.not_found': { title: 'API token not found' },
  'audit.not_found': { title: 'Audit record not found' },
};

const fr: Catalogue = {
  'validation.failed': { title: 'Requête invalide', detail: 'Certains champs sont invalides.' },
  'request.malformed_json': {
    title: 'JSON mal formé',
    detail: "Le corps de la requête n'est pas du JSON valide.",
  },
  'request.too_large': {
    title: 'Requête trop volumineuse',
    detail: 'Le corps de la requête dépasse {limit} octets.',
  },
  'request.unsupported_media_type': {
    title: 'Type de contenu non pris en charge',
    detail: 'Envoyez application/json.',
  },
  'request.not_found': { title: 'Introuvable', detail: 'Aucune route {method} {url}.' },
  'request.rate_limited': { title: 'Trop de requêtes', detail: 'Réessayez dans {retryAfter} secondes.' },
  'server.error': {
    title: 'Erreur interne',
    detail: 'Une erreur inattendue est survenue ; citez la requête {requestId}.',
  },
  'auth.unauthenticated': {
    title: 'Authentification requise',
    detail: 'Connectez-vous ou envoyez un jeton d’API.',
  },
  'auth.forbidden': { title: 'Interdit', detail: 'Vos rôles ne permettent pas cette action.' },
  'auth.csrf': {
    title: 'Preuve CSRF manquante',
    detail: 'Envoyez l’en-tête X-CSRF-Token reçu à la connexion.',
  },
  'auth.invalid_credentials': {
    title: 'Identifiants invalides',
    detail: 'Adresse e-mail ou mot de passe incorrect.',
  },
  'auth.otp_required': {
    title: 'Second facteur requis',
    detail: 'Saisissez le code de votre application d’authentification.',
  },
  'auth.otp_invalid': { title: 'Code invalide', detail: 'Le code est faux ou expiré.' },
  'auth.locked': {
    title: 'Compte temporairement verrouillé',
    detail: 'Trop d’échecs ; réessayez dans {retryAfter} secondes.',
  },
  'auth.rate_limited': {
    title: 'Trop de tentatives',
    detail: 'Trop de tentatives de connexion ; réessayez dans {retryAfter} secondes.',
  },
  'auth.password_change_required': {
    title: 'Changement de mot de passe requis',
    detail: 'Changez d’abord votre mot de passe.',
  },
  'auth.wrong_password': { title: 'Mot de passe incorrect', detail: 'Le mot de passe actuel est incorrect.' },
  'auth.totp_not_setup': {
    title: 'Configuration du second facteur non commencée',
    detail: 'Commencez d’abord la configuration.',
  },
  'auth.totp_already_enabled': { title: 'Second facteur déjà activé', detail: 'Désactivez-le d’abord.' },
  'auth.role_not_held': {
    title: 'Rôle non détenu',
    detail: 'Vous n’avez pas le rôle {role} dans cette organisation.',
  },
  'precondition.failed': {
    title: 'Modifié par quelqu’un d’autre',
    detail: 'L’enregistrement a changé depuis votre lecture (version {currentVersion}) ; rechargez-le.',
  },
  'precondition.required': {
    title: 'If-Match requis',
    detail: 'Envoyez l’ETag lu dans un en-tête If-Match.',
  },
  'conflict.duplicate': { title: 'Existe déjà', detail: 'Un autre enregistrement a déjà ce champ {field}.' },
  'org.not_found': { title: 'Organisation introuvable' },
  'org.home_required': {
    title: 'Organisation principale',
    detail: 'L’organisation principale ne peut pas être supprimée.',
  },
  'user.not_found': { title: 'Utilisateur introuvable' },
  'user.last_admin': {
    title: 'Dernier administrateur',
    detail: 'L’organisation principale doit garder au moins un administrateur.',
  },
  'user.self_disable': {
    title: 'Pas sur vous-même',
    detail: 'Vous ne pouvez pas désactiver votre propre compte.',
  },
  'group.not_found': { title: 'Groupe introuvable' },
  'group.member_not_in_org': {
    title: 'Membre hors de l’organisation',
    detail: 'Chaque membre doit appartenir à l’organisation du groupe.',
  },
  'token.not_found': { title: 'Jeton d’API introuvable' },
  'audit.not_found': { title: 'Enregistrement d’audit introuvable' },
};

/** Messages for field-level validation issues, keyed by zod issue code (plus a few of ours). */
const fieldEn: Record<string, string> = {
  required: 'Required',
  invalid_type: 'Expected {expected}',
  too_small: 'Too short or too small (minimum {minimum})',
  too_big: 'Too long or too large (maximum {maximum})',
  invalid_format: 'Invalid format ({format})',
  invalid_value: 'Not one of the allowed values: {values}',
  unrecognized_keys: 'Unknown field',
  invalid_union: 'Invalid value',
  not_multiple_of: 'Must be a multiple of {divisor}',
  time_zone: 'Unknown time zone',
  custom: 'Invalid value',
  duplicate: 'Already used',
  not_found: 'Not found',
  role_not_held: 'You do not hold this role in this organisation',
  wrong_password: 'Wrong password',
};
const fieldFr: Record<string, string> = {
  required: 'Obligatoire',
  invalid_type: 'Type attendu : {expected}',
  too_small: 'Trop court ou trop petit (minimum {minimum})',
  too_big: 'Trop long ou trop grand (maximum {maximum})',
  invalid_format: 'Format invalide ({format})',
  invalid_value: 'Doit être une des valeurs : {values}',
  unrecognized_keys: 'Champ inconnu',
  invalid_union: 'Valeur invalide',
  not_multiple_of: 'Doit être un multiple de {divisor}',
  time_zone: 'Fuseau horaire inconnu',
  custom: 'Valeur invalide',
  duplicate: 'Déjà utilisé',
  not_found: 'Introuvable',
  role_not_held: 'Vous n’avez pas ce rôle dans cette organisation',
  wrong_password: 'Mot de passe incorrect',
};

const catalogues: Record<Locale, Catalogue> = { en, fr };
const fieldCatalogues: Record<Locale, Record<string, string>> = { en: fieldEn, fr: fieldFr };

function interpolate(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) =>
    params[k] === undefined ? `{${k}}` : String(params[k]),
  );
}

export function problemText(
  locale: Locale,
  code: string,
  params: Record<string, unknown>,
): { title: string; detail: string | undefined } {
  const entry = catalogues[locale][code] ?? catalogues.en[code];
  if (!entry) return { title: code, detail: undefined };
  return { title: entry.title, detail: entry.detail ? interpolate(entry.detail, params) : undefined };
}

export function fieldText(locale: Locale, code: string, params: Record<string, unknown>): string {
  const text = fieldCatalogues[locale][code] ?? fieldCatalogues[locale].custom!;
  return interpolate(text, params);
}

export function knownProblemCodes(): string[] {
  return Object.keys(en);
}

export function localeFrom(acceptLanguage: string | undefined, fallback: Locale = 'fr'): Locale {
  if (!acceptLanguage) return fallback;
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}
