export {
  burnPasswordCheck,
  checkPassword,
  checkSecondFactor,
  type CredentialSummary,
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
export { createSession, type NewSession, endSession, endUserSessions, purgeExpired, rateLimit, resolveSession } from './sessions.service.js';
export { createApiToken, findApiToken, listApiTokens, resolveApiToken, revokeApiToken } from './tokens.service.js';
