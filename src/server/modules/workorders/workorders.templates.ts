import type { MailTemplateDefinition } from '../mail/index.js';

/**
 * The work orders' mails, in French and English; organisations may reword them
 * (PUT /api/v1/mail/templates/:orgId/:key/:locale).
 */

const html = (body: string) =>
  `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;line-height:1.5">
${body}
</body></html>`;

export const WORKORDER_MAIL_TEMPLATES: Record<string, MailTemplateDefinition> = {
  'workorder.items_missing': {
    description: 'To the supervisors when a work order lacks items or a box is incomplete',
    variables: ['reference', 'title', 'missing', 'note', 'expectedDate', 'orgName', 'link'],
    fr: {
      subject: '{{reference}} : matériel manquant, nouvelle date prévue le {{expectedDate}}',
      text:
        'Bonjour,\n\nL’intervention {{reference}} « {{title}} » ne peut pas se faire comme prévu : il manque {{missing}}.\n' +
        '{{#note}}Précision du technicien : {{note}}\n{{/note}}Nouvelle date prévue : {{expectedDate}}.\n\nL’intervention : {{link}}\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Bonjour,</p><p>L’intervention <strong>{{reference}}</strong> « {{title}} » ne peut pas se faire comme prévu : il manque <strong>{{missing}}</strong>.</p>' +
          '{{#note}}<p>Précision du technicien : {{note}}</p>{{/note}}<p>Nouvelle date prévue : <strong>{{expectedDate}}</strong>.</p><p><a href="{{link}}">Voir l’intervention</a></p>',
      ),
    },
    en: {
      subject: '{{reference}}: items missing, new expected date {{expectedDate}}',
      text:
        'Hello,\n\nWork order {{reference}} "{{title}}" cannot go ahead as planned: {{missing}} missing.\n' +
        "{{#note}}The technician's note: {{note}}\n{{/note}}New expected date: {{expectedDate}}.\n\nThe work order: {{link}}\n\n--\nParc, {{orgName}}\n",
      html: html(
        '<p>Hello,</p><p>Work order <strong>{{reference}}</strong> "{{title}}" cannot go ahead as planned: <strong>{{missing}}</strong> missing.</p>' +
          '{{#note}}<p>The technician\'s note: {{note}}</p>{{/note}}<p>New expected date: <strong>{{expectedDate}}</strong>.</p><p><a href="{{link}}">See the work order</a></p>',
      ),
    },
  },
  'workorder.new_date': {
    description: 'To the users a work order concerns when its date moves (items missing)',
    variables: ['name', 'reference', 'title', 'expectedDate', 'orgName'],
    fr: {
      subject: 'Votre intervention {{reference}} est reportée au {{expectedDate}}',
      text:
        'Bonjour {{name}},\n\nL’intervention « {{title}} » ({{reference}}) qui vous concerne est reportée : il nous manque du matériel.\n' +
        'Nouvelle date prévue : {{expectedDate}}. Nous vous confirmerons le rendez-vous.\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Bonjour {{name}},</p><p>L’intervention « {{title}} » ({{reference}}) qui vous concerne est reportée : il nous manque du matériel.</p>' +
          '<p>Nouvelle date prévue : <strong>{{expectedDate}}</strong>. Nous vous confirmerons le rendez-vous.</p>',
      ),
    },
    en: {
      subject: 'Your work order {{reference}} moves to {{expectedDate}}',
      text:
        'Hello {{name}},\n\nThe work "{{title}}" ({{reference}}) planned for you is postponed: some items are missing.\n' +
        'New expected date: {{expectedDate}}. We will confirm the appointment.\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Hello {{name}},</p><p>The work "{{title}}" ({{reference}}) planned for you is postponed: some items are missing.</p>' +
          '<p>New expected date: <strong>{{expectedDate}}</strong>. We will confirm the appointment.</p>',
      ),
    },
  },
};

/** Planning: the users a work order concerns, told N hours ahead of the appointment. */
export const PLANNING_MAIL_TEMPLATES: Record<string, MailTemplateDefinition> = {
  'workorder.reminder': {
    description: 'To each user a scheduled work order concerns, ahead of the appointment',
    variables: ['name', 'reference', 'title', 'kind', 'description', 'date', 'location', 'orgName'],
    fr: {
      subject: 'Intervention prévue le {{date}} : {{title}}',
      text:
        'Bonjour {{name}},\n\nUne intervention qui vous concerne est prévue le {{date}}{{#location}} ({{location}}){{/location}} :\n' +
        '{{kind}} — {{title}} ({{reference}}).\n{{#description}}\n{{description}}\n{{/description}}\n' +
        'Pendant l’intervention, votre poste ou le matériel concerné peut être indisponible.\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Bonjour {{name}},</p><p>Une intervention qui vous concerne est prévue le <strong>{{date}}</strong>{{#location}} ({{location}}){{/location}} :</p>' +
          '<p><strong>{{kind}}</strong> — {{title}} ({{reference}})</p>{{#description}}<p>{{description}}</p>{{/description}}' +
          '<p>Pendant l’intervention, votre poste ou le matériel concerné peut être indisponible.</p>',
      ),
    },
    en: {
      subject: 'Work planned on {{date}}: {{title}}',
      text:
        'Hello {{name}},\n\nWork concerning you is planned on {{date}}{{#location}} ({{location}}){{/location}}:\n' +
        '{{kind}} — {{title}} ({{reference}}).\n{{#description}}\n{{description}}\n{{/description}}\n' +
        'During the work, your workstation or the equipment concerned may be unavailable.\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Hello {{name}},</p><p>Work concerning you is planned on <strong>{{date}}</strong>{{#location}} ({{location}}){{/location}}:</p>' +
          '<p><strong>{{kind}}</strong> — {{title}} ({{reference}})</p>{{#description}}<p>{{description}}</p>{{/description}}' +
          '<p>During the work, your workstation or the equipment concerned may be unavailable.</p>',
      ),
    },
  },
};
