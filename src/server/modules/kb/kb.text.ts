import { foldText } from '../../../shared/text.js';

/**
 * Words that say nothing about a problem, in French and English (folded): left out of searches, so a
 * ticket titled "L'imprimante ne marche pas" looks for "imprimante".
 */
const STOP_WORDS = new Set(
  [
    // French
    'le la les l de des du d un une et ou en au aux a y ne n pas plus sur sous dans par pour avec sans',
    'est sont suis ai as avons ont il elle ils elles on je j me m mon ma mes ton ta tes son sa ses',
    'ce c cet cette ces qu que qui quoi se s nous vous leur leurs tout tous toute toutes tres bien',
    'marche marchent fonctionne fonctionnent probleme problemes souci soucis',
    // English
    'the a an of to is are was be been it its this that these those and or in on at for with by from',
    'as my our your not no does doesn t don can cannot won isn i we you he she they me do did',
    'work works working problem problems issue issues',
  ]
    .join(' ')
    .split(' '),
);

/** Trims the punctuation around a word, keeping the inside ("wi-fi", "0x80070005", "c:\\temp"). */
function trimWord(word: string): string {
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** The folded words of a query: split on spaces and apostrophes ("l'imprimante" gives "l", "imprimante"). */
export function queryWords(text: string): string[] {
  return [
    ...new Set(
      foldText(text)
        .split(/[\s'’`]+/)
        .map(trimWord)
        .filter(Boolean),
    ),
  ];
}

/**
 * The words to search for in a list: stop-words are dropped unless nothing else is left, at most 10.
 */
export function searchWords(text: string): string[] {
  const words = queryWords(text);
  const meaningful = words.filter((w) => !STOP_WORDS.has(w));
  return (meaningful.length > 0 ? meaningful : words).slice(0, 10);
}

/**
 * The words a suggestion looks for: no stop-words and none under three letters (they say little and
 * the trigram index cannot find them), longest first (the most telling), at most 6.
 */
export function significantWords(text: string): string[] {
  return queryWords(text)
    .filter((w) => w.length >= 3 && !STOP_WORDS.has(w))
    .sort((a, b) => b.length - a.length)
    .slice(0, 6);
}

const FRENCH_HINTS = new Set(
  'le la les des une est sont pas sur dans pour avec que qui ne du au aux cette plus'.split(' '),
);
const ENGLISH_HINTS = new Set(
  'the is are not on in for with that which does this from to of and when after'.split(' '),
);

/** French or English, by counting common words; French when unsure (Parc is French first). */
export function guessLanguage(text: string): 'fr' | 'en' {
  let fr = 0;
  let en = 0;
  for (const word of queryWords(text)) {
    if (FRENCH_HINTS.has(word)) fr += 1;
    if (ENGLISH_HINTS.has(word)) en += 1;
  }
  return en > fr ? 'en' : 'fr';
}

/** The folded text a search runs on: title, symptoms, cause, resolution and tags. */
export function articleSearchText(a: {
  title: string;
  symptoms: string;
  cause: string;
  resolution: string;
  tags: readonly string[];
}): string {
  return foldText([a.title, a.symptoms, a.cause, a.resolution, a.tags.join(' ')].join('\n'));
}

/** "|vpn|outlook|": one tag is then matched exactly, without case or accents, by a LIKE. */
export function tagsText(tags: readonly string[]): string {
  return tags.length === 0 ? '' : `|${tags.map(foldText).join('|')}|`;
}

/** The tags once each, compared without case or accents; the first spelling is kept. */
export function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = foldText(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The start of a text, cut at a word, without markdown marks, for result lists. */
export function excerptOf(text: string, max = 200): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/[#>*_`[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
