/** Shortest fragment of a secret that counts as a leak. */
export const LEAK_WINDOW = 16;

export interface Leak {
  /** Which secret leaked (its first characters only, never the whole value). */
  secret: string;
  /** The fragment found. */
  fragment: string;
  /** Start of the text the fragment was found in. */
  where: string;
}

/**
 * Every place where `texts` contain a secret or any {@link LEAK_WINDOW}-character window of one (which covers
 * each JWT segment's first 16 characters and any other 16-character fragment). Secrets shorter than the window are
 * compared whole. Linear: the windows of the texts are indexed once.
 */
export function findLeaks(texts: readonly string[], secrets: Iterable<string>): Leak[] {
  const index = new Map<string, number>();
  texts.forEach((text, textIndex) => {
    for (let start = 0; start + LEAK_WINDOW <= text.length; start += 1) {
      const window = text.slice(start, start + LEAK_WINDOW);
      if (!index.has(window)) index.set(window, textIndex);
    }
  });
  const leaks: Leak[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < LEAK_WINDOW) {
      const textIndex = texts.findIndex((text) => secret.length >= 8 && text.includes(secret));
      if (textIndex >= 0)
        leaks.push({ secret: secret.slice(0, 8), fragment: secret, where: texts[textIndex].slice(0, 200) });
      continue;
    }
    for (let start = 0; start + LEAK_WINDOW <= secret.length; start += 1) {
      const fragment = secret.slice(start, start + LEAK_WINDOW);
      const textIndex = index.get(fragment);
      if (textIndex !== undefined) {
        leaks.push({ secret: secret.slice(0, 12), fragment, where: texts[textIndex].slice(0, 200) });
        break;
      }
    }
  }
  return leaks;
}
