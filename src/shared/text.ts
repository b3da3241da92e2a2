/** Lower case without accents: "Écran Dell" -> "ecran dell". Search matches on this form. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
