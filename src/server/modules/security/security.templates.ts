import type { MailTemplateDefinition } from '../mail/index.js';

/**
 * The security module's mails, in French and English; organisations may reword them
 * (PUT /api/v1/mail/templates/:orgId/:key/:locale).
 */
const html = (body: string) =>
  `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;line-height:1.5">
${body}
</body></html>`;

const VARIABLES = [
  'reference',
  'title',
  'severity',
  'sources',
  'users',
  'hosts',
  'firstSeen',
  'lastSeen',
  'eventCount',
  'orgName',
  'link',
];

export const SECURITY_MAIL_TEMPLATES: Record<string, MailTemplateDefinition> = {
  'security.incident_opened': {
    description: 'To the security officers when a detection opens a security incident',
    variables: VARIABLES,
    fr: {
      subject: '[Sécurité {{severity}}] {{reference}} {{title}}',
      text:
        'Bonjour,\n\nUn incident de sécurité vient d’être ouvert : {{title}} (gravité {{severity}}).\n' +
        'Sources : {{sources}}\nComptes : {{users}}\nMachines : {{hosts}}\nÉvénements : {{eventCount}}, du {{firstSeen}} au {{lastSeen}} (UTC).\n\n' +
        'Incident : {{link}}\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Bonjour,</p><p>Un incident de sécurité vient d’être ouvert : <strong>{{title}}</strong> (gravité <strong>{{severity}}</strong>).</p>' +
          '<p>Sources : {{sources}}<br>Comptes : {{users}}<br>Machines : {{hosts}}<br>Événements : {{eventCount}}, du {{firstSeen}} au {{lastSeen}} (UTC).</p>' +
          '<p><a href="{{link}}">Voir l’incident</a></p>',
      ),
    },
    en: {
      subject: '[Security {{severity}}] {{reference}} {{title}}',
      text:
        'Hello,\n\nA security incident was just opened: {{title}} (severity {{severity}}).\n' +
        'Sources: {{sources}}\nAccounts: {{users}}\nHosts: {{hosts}}\nEvents: {{eventCount}}, from {{firstSeen}} to {{lastSeen}} (UTC).\n\n' +
        'Incident: {{link}}\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Hello,</p><p>A security incident was just opened: <strong>{{title}}</strong> (severity <strong>{{severity}}</strong>).</p>' +
          '<p>Sources: {{sources}}<br>Accounts: {{users}}<br>Hosts: {{hosts}}<br>Events: {{eventCount}}, from {{firstSeen}} to {{lastSeen}} (UTC).</p>' +
          '<p><a href="{{link}}">See the incident</a></p>',
      ),
    },
  },
  'security.incident_escalated': {
    description: 'To the supervisors and administrators when a critical incident stays unacknowledged',
    variables: [...VARIABLES, 'minutes'],
    fr: {
      subject: '[Escalade sécurité] {{reference}} {{title}} sans prise en charge depuis {{minutes}} min',
      text:
        'Bonjour,\n\nL’incident de sécurité critique « {{title}} » n’a pas été pris en charge depuis {{minutes}} minutes.\n' +
        'Sources : {{sources}}\nComptes : {{users}}\nMachines : {{hosts}}\n\nIncident : {{link}}\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Bonjour,</p><p>L’incident de sécurité critique « <strong>{{title}}</strong> » n’a pas été pris en charge depuis <strong>{{minutes}} minutes</strong>.</p>' +
          '<p>Sources : {{sources}}<br>Comptes : {{users}}<br>Machines : {{hosts}}</p><p><a href="{{link}}">Voir l’incident</a></p>',
      ),
    },
    en: {
      subject: '[Security escalation] {{reference}} {{title}} unacknowledged for {{minutes}} min',
      text:
        'Hello,\n\nThe critical security incident "{{title}}" has not been acknowledged for {{minutes}} minutes.\n' +
        'Sources: {{sources}}\nAccounts: {{users}}\nHosts: {{hosts}}\n\nIncident: {{link}}\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Hello,</p><p>The critical security incident "<strong>{{title}}</strong>" has not been acknowledged for <strong>{{minutes}} minutes</strong>.</p>' +
          '<p>Sources: {{sources}}<br>Accounts: {{users}}<br>Hosts: {{hosts}}</p><p><a href="{{link}}">See the incident</a></p>',
      ),
    },
  },
};
