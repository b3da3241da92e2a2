export {
  burnPasswordCheck,
  type CredentialSummary,
  checkPassword,
  checkSecondFactor,
  credentialSummaries,
  disableTotp,
  enableTotp,
  generatePassword,
  hashPassword,
  LOCKOUT,
  recordLoginSuccess,
  registerLoginFailure,
  setPassword,
  startTotpSetup,
  verifyCurrentPassword,
} from './credentials.service.js';
export {
  createSession,
  endSession,
  endUserSessions,
  type NewSession,
  purgeExpired,
  rateLimit,
  resolveSession,
} from './sessions.service.js';
export {
  createApiToken,
  findApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
} from './tokens.service.js';
