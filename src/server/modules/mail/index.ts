export { type ImapFolder, type ImapMessageRef, type ImapSettings, withImapFolder } from './imap.js';
export { mailRoutes } from './mail.routes.js';
export {
  automaticReason,
  type MailAddress,
  normalizeMessageId,
  type ParsedAttachment,
  type ParsedMail,
  parseMail,
} from './mime.js';
export {
  createMailService,
  MAIL_MAX_ATTEMPTS,
  MAIL_SEND_JOB,
  type MailAttachment,
  type MailMessage,
  type MailService,
} from './outgoing.service.js';
export {
  escapeHtml,
  type MailLocale,
  type MailTemplateDefinition,
  registerMailTemplates,
  renderTemplate,
  type TemplateVars,
} from './templates.js';
export { renderMail } from './templates.service.js';
