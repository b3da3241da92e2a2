import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setLanguageSource } from '../api/client.js';
import { en } from './en.js';
import { fr } from './fr.js';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'parc.language';

function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'fr' || value === 'en' ? value : null;
  } catch {
    return null;
  }
}

/** French unless the browser asks for English: Parc is French first. */
export function browserLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

export function hasStoredLanguage(): boolean {
  return storedLanguage() !== null;
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'fr';
}

/** Switch the interface language and remember the choice on this device. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await i18next.changeLanguage(language);
}

export async function initI18n(): Promise<void> {
  const initial = storedLanguage() ?? browserLanguage();
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  await i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng: initial,
    fallbackLng: 'fr',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = initial;
  setLanguageSource(currentLanguage);
}

export { i18next };
