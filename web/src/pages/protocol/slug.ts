/**
 * A heading's anchor as GitHub writes it (lower case; letters, digits, spaces and hyphens kept;
 * spaces to hyphens), so the links docs/protocol.md makes to its own sections, and the sections
 * the byte inspector names (src/core/encoding/fieldLayout.ts), work on the dashboard as on GitHub.
 */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}
