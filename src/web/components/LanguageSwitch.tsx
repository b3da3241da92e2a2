import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, LANGUAGES, type Language } from '../i18n/index.js';

type Props = {
  /** Called after the switch, to save the choice on the account when someone is signed in. */
  onChanged?: (language: Language) => void;
};

/** FR/EN, always visible: two toggle buttons, the pressed one is the current language. */
export function LanguageSwitch({ onChanged }: Props) {
  const { t, i18n } = useTranslation();
  const active = i18n.language === 'en' ? 'en' : 'fr';
  const select = async (language: Language) => {
    if (language === currentLanguage()) return;
    await changeLanguage(language);
    onChanged?.(language);
  };
  return (
    <Group gap={4} role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <Button
          key={language}
          size="compact-sm"
          variant={active === language ? 'filled' : 'subtle'}
          aria-pressed={active === language}
          aria-label={t(`language.${language}`)}
          lang={language}
          onClick={() => void select(language)}
        >
          {language.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
