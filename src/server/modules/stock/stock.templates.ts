import type { MailTemplateDefinition } from '../mail/index.js';

/**
 * The stock module's mails, in French and English; organisations may reword them
 * (PUT /api/v1/mail/templates/:orgId/:key/:locale).
 */

const html = (body: string) =>
  `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;line-height:1.5">
${body}
</body></html>`;

export const STOCK_MAIL_TEMPLATES: Record<string, MailTemplateDefinition> = {
  'stock.reorder_needed': {
    description: 'To the supervisors when a stock level falls to or below its minimum',
    variables: [
      'articleName',
      'reference',
      'locationName',
      'available',
      'minQuantity',
      'unit',
      'leadTimeDays',
      'orgName',
      'link',
    ],
    fr: {
      subject: 'Stock à réapprovisionner : {{articleName}} ({{locationName}})',
      text:
        'Bonjour,\n\nLe stock de « {{articleName}} »{{#reference}} (réf. {{reference}}){{/reference}} à {{locationName}} est descendu à {{available}} {{unit}} disponible(s), pour un minimum de {{minQuantity}}.\n' +
        'Délai d’approvisionnement du fournisseur : {{leadTimeDays}} jour(s).\n\nNiveaux à réapprovisionner : {{link}}\n\n--\nParc, {{orgName}}\n',
      html: html(
        '<p>Bonjour,</p><p>Le stock de « <strong>{{articleName}}</strong> »{{#reference}} (réf. {{reference}}){{/reference}} à <strong>{{locationName}}</strong> est descendu à <strong>{{available}} {{unit}}</strong> disponible(s), pour un minimum de {{minQuantity}}.</p>' +
          '<p>Délai d’approvisionnement du fournisseur : {{leadTimeDays}} jour(s).</p><p><a href="{{link}}">Niveaux à réapprovisionner</a></p>',
      ),
    },
    en: {
      subject: 'Stock to reorder: {{articleName}} ({{locationName}})',
      text:
        'Hello,\n\nThe stock of "{{articleName}}"{{#reference}} (ref. {{reference}}){{/reference}} at {{locationName}} is down to {{available}} {{unit}} available, for a minimum of {{minQuantity}}.\n' +
        "Supplier's lead time: {{leadTimeDays}} day(s).\n\nLevels to reorder: {{link}}\n\n--\nParc, {{orgName}}\n",
      html: html(
        '<p>Hello,</p><p>The stock of "<strong>{{articleName}}</strong>"{{#reference}} (ref. {{reference}}){{/reference}} at <strong>{{locationName}}</strong> is down to <strong>{{available}} {{unit}}</strong> available, for a minimum of {{minQuantity}}.</p>' +
          '<p>Supplier\'s lead time: {{leadTimeDays}} day(s).</p><p><a href="{{link}}">Levels to reorder</a></p>',
      ),
    },
  },
};
