/**
 * Mail templates: a tiny mustache-like language written here, and the registry of templates the
 * modules contribute (the mail module itself knows no template).
 *
 * - `{{name}}` (or `{{a.b}}`) inserts a value; in HTML bodies it is HTML-escaped and its line breaks
 *   become `<br>`;
 * - `{{#name}}…{{/name}}` keeps its content when the value is present (not empty, false, 0 or null);
 * - `{{^name}}…{{/name}}` keeps its content when it is absent.
 * Unknown variables render as nothing.
 */

export type TemplateValue = string | number | boolean | null | undefined;
export type TemplateVars = Record<string, TemplateValue>;

export type MailLocale = 'fr' | 'en';
export type MailTemplateText = { subject: string; text: string; html: string | null };
export type MailTemplateDefinition = {
  description: string;
  variables: string[];
  fr: MailTemplateText;
  en: MailTemplateText;
};

const registry = new Map<string, MailTemplateDefinition>();

/** Modules declare their templates (defaults in both languages) when they load. */
export function registerMailTemplates(defs: Record<string, MailTemplateDefinition>): void {
  for (const [key, def] of Object.entries(defs)) registry.set(key, def);
}

export function mailTemplateDefinition(key: string): MailTemplateDefinition | undefined {
  return registry.get(key);
}

export function mailTemplateKeys(): string[] {
  return [...registry.keys()].sort();
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function present(value: TemplateValue): boolean {
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 0;
}

const SECTION = /\{\{([#^])\s*([\w.]+)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/g;
const VARIABLE = /\{\{\s*([\w.]+)\s*\}\}/g;

/** Renders `template` with `vars`; `mode: 'html'` escapes every inserted value. */
export function renderTemplate(template: string, vars: TemplateVars, mode: 'text' | 'html' = 'text'): string {
  let out = template;
  // Sections may nest: resolve the innermost first, until none is left.
  for (let i = 0; i < 10 && /\{\{[#^]/.test(out); i++) {
    const next = out.replace(SECTION, (_, kind: string, name: string, inner: string) =>
      present(vars[name]) === (kind === '#') ? inner : '',
    );
    if (next === out) break;
    out = next;
  }
  return out.replace(VARIABLE, (_, name: string) => {
    const value = vars[name];
    if (value === undefined || value === null || value === false) return '';
    const text = String(value);
    return mode === 'html' ? escapeHtml(text).replace(/\r?\n/g, '<br>\n') : text;
  });
}

/** The three parts of a mail: the subject on one line, the text, the HTML (escaped) when there is one. */
export function renderMailText(t: MailTemplateText, vars: TemplateVars): MailTemplateText {
  return {
    subject: renderTemplate(t.subject, vars)
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .trim(),
    text: renderTemplate(t.text, vars),
    html: t.html === null ? null : renderTemplate(t.html, vars, 'html'),
  };
}
