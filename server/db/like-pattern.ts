/**
 * Text for Prisma's startsWith / contains, which pass it into LIKE unescaped: there "_" (common in
 * action names, e.g. "api_key.", and in emails) would match any character and "%" anything.
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
