/** `1 check`, `2 checks`, `0 problems`: counts in messages read as English. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
