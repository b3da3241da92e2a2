import type { MailTemplateDefinition } from '../../mail/index.js';

/**
 * The helpdesk's mails to requesters, in French and English. Organisations may reword them
 * (PUT /api/v1/mail/templates/:orgId/:key/:locale); the subject must keep [{{reference}}] for replies
 * to find their ticket without the headers.
 */

const COMMON = ['reference', 'title', 'requesterName', 'orgName', 'link'];

const html = (body: string, footer: string) =>
  `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;line-height:1.5">
${body}
<p style="color:#666;font-size:12px;border-top:1px solid #ddd;padding-top:8px;margin-top:24px">${footer}</p>
</body></html>`;

const FOOTER_FR =
  'Répondez à ce message pour compléter votre demande {{reference}}. Suivi : <a href="{{link}}">{{link}}</a>';
const FOOTER_EN =
  'Reply to this message to add to your request {{reference}}. Follow it: <a href="{{link}}">{{link}}</a>';
const TEXT_FOOTER_FR =
  '\n\n--\nRépondez à ce message pour compléter votre demande {{reference}}.\nSuivi : {{link}}\n';
const TEXT_FOOTER_EN =
  '\n\n--\nReply to this message to add to your request {{reference}}.\nFollow it: {{link}}\n';

export const TICKET_MAIL_TEMPLATES: Record<string, MailTemplateDefinition> = {
  'helpdesk.ticket_created': {
    description: 'To the requester when their ticket is created',
    variables: [...COMMON, 'description'],
    fr: {
      subject: '[{{reference}}] Demande enregistrée : {{title}}',
      text: `Bonjour {{requesterName}},\n\nVotre demande « {{title}} » est enregistrée sous la référence {{reference}}. Un technicien va la prendre en charge.${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p>Votre demande « <strong>{{title}}</strong> » est enregistrée sous la référence <strong>{{reference}}</strong>. Un technicien va la prendre en charge.</p>',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] Request received: {{title}}',
      text: `Hello {{requesterName}},\n\nYour request "{{title}}" is registered as {{reference}}. A technician will take it in hand.${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p>Your request "<strong>{{title}}</strong>" is registered as <strong>{{reference}}</strong>. A technician will take it in hand.</p>',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.ticket_assigned': {
    description: 'To the requester when a technician takes their ticket',
    variables: [...COMMON, 'assigneeName'],
    fr: {
      subject: '[{{reference}}] Prise en charge : {{title}}',
      text: `Bonjour {{requesterName}},\n\n{{assigneeName}} prend en charge votre demande « {{title}} ».${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p><strong>{{assigneeName}}</strong> prend en charge votre demande « {{title}} ».</p>',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] Taken in hand: {{title}}',
      text: `Hello {{requesterName}},\n\n{{assigneeName}} is now handling your request "{{title}}".${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p><strong>{{assigneeName}}</strong> is now handling your request "{{title}}".</p>',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.ticket_waiting': {
    description:
      'To the requester when their ticket waits (for them, a supplier, parts), with the expected date',
    variables: [...COMMON, 'waitingFor', 'waitingUntil', 'note', 'forYou'],
    fr: {
      subject: '[{{reference}}] En attente : {{title}}',
      text: `Bonjour {{requesterName}},\n\nVotre demande « {{title}} » est en attente : {{waitingFor}}.{{#waitingUntil}}\nDate prévue : {{waitingUntil}}.{{/waitingUntil}}{{#note}}\n\n{{note}}{{/note}}{{#forYou}}\n\nRépondez simplement à ce message : le traitement reprendra dès votre réponse.{{/forYou}}${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p>Votre demande « {{title}} » est en attente : <strong>{{waitingFor}}</strong>.{{#waitingUntil}}<br>Date prévue : <strong>{{waitingUntil}}</strong>.{{/waitingUntil}}</p>{{#note}}<p>{{note}}</p>{{/note}}{{#forYou}}<p>Répondez simplement à ce message : le traitement reprendra dès votre réponse.</p>{{/forYou}}',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] Waiting: {{title}}',
      text: `Hello {{requesterName}},\n\nYour request "{{title}}" is waiting: {{waitingFor}}.{{#waitingUntil}}\nExpected: {{waitingUntil}}.{{/waitingUntil}}{{#note}}\n\n{{note}}{{/note}}{{#forYou}}\n\nJust reply to this message: work resumes as soon as you answer.{{/forYou}}${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p>Your request "{{title}}" is waiting: <strong>{{waitingFor}}</strong>.{{#waitingUntil}}<br>Expected: <strong>{{waitingUntil}}</strong>.{{/waitingUntil}}</p>{{#note}}<p>{{note}}</p>{{/note}}{{#forYou}}<p>Just reply to this message: work resumes as soon as you answer.</p>{{/forYou}}',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.ticket_planned': {
    description:
      'To the requester when a technician plans an intervention, with the date and what will happen',
    variables: [...COMMON, 'plannedAt', 'note'],
    fr: {
      subject: '[{{reference}}] Intervention prévue le {{plannedAt}} : {{title}}',
      text: `Bonjour {{requesterName}},\n\nUne intervention est prévue le {{plannedAt}} pour votre demande « {{title}} ».{{#note}}\n\n{{note}}{{/note}}\n\nSi ce moment ne vous convient pas, répondez à ce message.${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p>Une intervention est prévue le <strong>{{plannedAt}}</strong> pour votre demande « {{title}} ».</p>{{#note}}<p>{{note}}</p>{{/note}}<p>Si ce moment ne vous convient pas, répondez à ce message.</p>',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] Intervention planned on {{plannedAt}}: {{title}}',
      text: `Hello {{requesterName}},\n\nAn intervention is planned on {{plannedAt}} for your request "{{title}}".{{#note}}\n\n{{note}}{{/note}}\n\nIf this time does not suit you, reply to this message.${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p>An intervention is planned on <strong>{{plannedAt}}</strong> for your request "{{title}}".</p>{{#note}}<p>{{note}}</p>{{/note}}<p>If this time does not suit you, reply to this message.</p>',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.ticket_unplanned': {
    description: 'To the requester when a planned intervention is cancelled',
    variables: [...COMMON, 'note'],
    fr: {
      subject: '[{{reference}}] Intervention annulée : {{title}}',
      text: `Bonjour {{requesterName}},\n\nL’intervention prévue pour votre demande « {{title}} » est annulée ; nous revenons vers vous avec une nouvelle date.{{#note}}\n\n{{note}}{{/note}}${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p>L’intervention prévue pour votre demande « {{title}} » est annulée ; nous revenons vers vous avec une nouvelle date.</p>{{#note}}<p>{{note}}</p>{{/note}}',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] Intervention cancelled: {{title}}',
      text: `Hello {{requesterName}},\n\nThe intervention planned for your request "{{title}}" is cancelled; we will come back to you with a new date.{{#note}}\n\n{{note}}{{/note}}${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p>The intervention planned for your request "{{title}}" is cancelled; we will come back to you with a new date.</p>{{#note}}<p>{{note}}</p>{{/note}}',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.ticket_resolved': {
    description: 'To the requester on resolution, with the intervention note (also attached as a PDF)',
    variables: [
      ...COMMON,
      'hasNote',
      'cause',
      'action',
      'impact',
      'advice',
      'technicianName',
      'resolvedAt',
      'reopenDays',
    ],
    fr: {
      subject: '[{{reference}}] Résolu : {{title}}',
      text: `Bonjour {{requesterName}},\n\nVotre demande « {{title}} » est résolue.{{#hasNote}}\n\nCe qui n’allait pas :\n{{cause}}\n\nCe que nous avons fait :\n{{action}}{{#impact}}\n\nCe qui change pour vous :\n{{impact}}{{/impact}}{{#advice}}\n\nNos conseils :\n{{advice}}{{/advice}}\n\nLa note d’intervention est jointe en PDF.{{/hasNote}}\n\nSi le problème persiste, répondez à ce message dans les {{reopenDays}} jours : la demande sera rouverte.${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p>Votre demande « {{title}} » est <strong>résolue</strong>.</p>{{#hasNote}}<h3>Ce qui n’allait pas</h3><p>{{cause}}</p><h3>Ce que nous avons fait</h3><p>{{action}}</p>{{#impact}}<h3>Ce qui change pour vous</h3><p>{{impact}}</p>{{/impact}}{{#advice}}<h3>Nos conseils</h3><p>{{advice}}</p>{{/advice}}<p>La note d’intervention est jointe en PDF.</p>{{/hasNote}}<p>Si le problème persiste, répondez à ce message dans les {{reopenDays}} jours : la demande sera rouverte.</p>',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] Resolved: {{title}}',
      text: `Hello {{requesterName}},\n\nYour request "{{title}}" is resolved.{{#hasNote}}\n\nWhat was wrong:\n{{cause}}\n\nWhat we did:\n{{action}}{{#impact}}\n\nWhat changes for you:\n{{impact}}{{/impact}}{{#advice}}\n\nOur advice:\n{{advice}}{{/advice}}\n\nThe intervention note is attached as a PDF.{{/hasNote}}\n\nIf the problem persists, reply to this message within {{reopenDays}} days: the request will be reopened.${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p>Your request "{{title}}" is <strong>resolved</strong>.</p>{{#hasNote}}<h3>What was wrong</h3><p>{{cause}}</p><h3>What we did</h3><p>{{action}}</p>{{#impact}}<h3>What changes for you</h3><p>{{impact}}</p>{{/impact}}{{#advice}}<h3>Our advice</h3><p>{{advice}}</p>{{/advice}}<p>The intervention note is attached as a PDF.</p>{{/hasNote}}<p>If the problem persists, reply to this message within {{reopenDays}} days: the request will be reopened.</p>',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.ticket_followup': {
    description: 'To the requester when a technician writes a public follow-up',
    variables: [...COMMON, 'authorName', 'body'],
    fr: {
      subject: '[{{reference}}] Nouveau message : {{title}}',
      text: `Bonjour {{requesterName}},\n\n{{authorName}} a écrit sur votre demande « {{title}} » :\n\n{{body}}${TEXT_FOOTER_FR}`,
      html: html(
        '<p>Bonjour {{requesterName}},</p><p><strong>{{authorName}}</strong> a écrit sur votre demande « {{title}} » :</p><blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px">{{body}}</blockquote>',
        FOOTER_FR,
      ),
    },
    en: {
      subject: '[{{reference}}] New message: {{title}}',
      text: `Hello {{requesterName}},\n\n{{authorName}} wrote on your request "{{title}}":\n\n{{body}}${TEXT_FOOTER_EN}`,
      html: html(
        '<p>Hello {{requesterName}},</p><p><strong>{{authorName}}</strong> wrote on your request "{{title}}":</p><blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px">{{body}}</blockquote>',
        FOOTER_EN,
      ),
    },
  },
  'helpdesk.sla_warning': {
    description: 'To the technician or group holding a ticket whose resolution deadline is near',
    variables: ['reference', 'title', 'orgName', 'link', 'dueAt', 'priority'],
    fr: {
      subject: '[{{reference}}] Échéance proche (P{{priority}}) : {{title}}',
      text: 'Le ticket {{reference}} « {{title}} » ({{orgName}}) doit être résolu avant le {{dueAt}}.\n\nOuvrir le ticket : {{link}}\n',
      html: html(
        '<p>Le ticket <strong>{{reference}}</strong> « {{title}} » ({{orgName}}) doit être résolu avant le <strong>{{dueAt}}</strong>.</p><p><a href="{{link}}">Ouvrir le ticket</a></p>',
        'Alerte SLA envoyée par Parc',
      ),
    },
    en: {
      subject: '[{{reference}}] Deadline near (P{{priority}}): {{title}}',
      text: 'Ticket {{reference}} "{{title}}" ({{orgName}}) must be resolved by {{dueAt}}.\n\nOpen the ticket: {{link}}\n',
      html: html(
        '<p>Ticket <strong>{{reference}}</strong> "{{title}}" ({{orgName}}) must be resolved by <strong>{{dueAt}}</strong>.</p><p><a href="{{link}}">Open the ticket</a></p>',
        'SLA alert sent by Parc',
      ),
    },
  },
  'helpdesk.sla_breached': {
    description:
      'To the supervisors, the escalation group and the technician when a ticket misses its deadline',
    variables: ['reference', 'title', 'orgName', 'link', 'dueAt', 'priority'],
    fr: {
      subject: '[{{reference}}] Délai de résolution dépassé (P{{priority}}) : {{title}}',
      text: 'Le ticket {{reference}} « {{title}} » ({{orgName}}) devait être résolu avant le {{dueAt}} : le délai est dépassé.\n\nOuvrir le ticket : {{link}}\n',
      html: html(
        '<p>Le ticket <strong>{{reference}}</strong> « {{title}} » ({{orgName}}) devait être résolu avant le <strong>{{dueAt}}</strong> : le délai est dépassé.</p><p><a href="{{link}}">Ouvrir le ticket</a></p>',
        'Escalade SLA envoyée par Parc',
      ),
    },
    en: {
      subject: '[{{reference}}] Resolution deadline missed (P{{priority}}): {{title}}',
      text: 'Ticket {{reference}} "{{title}}" ({{orgName}}) was due by {{dueAt}}: the deadline has passed.\n\nOpen the ticket: {{link}}\n',
      html: html(
        '<p>Ticket <strong>{{reference}}</strong> "{{title}}" ({{orgName}}) was due by <strong>{{dueAt}}</strong>: the deadline has passed.</p><p><a href="{{link}}">Open the ticket</a></p>',
        'SLA escalation sent by Parc',
      ),
    },
  },
};
