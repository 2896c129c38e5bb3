/**
 * Makes any text drawable with the 14 standard PDF fonts.
 *
 * Standard fonts (Helvetica …) are not embedded, so pdf-lib encodes their text in WinAnsi
 * (Windows-1252): that covers Norwegian æøå/ÆØÅ, the other Western European letters, € and
 * typographic quotes and dashes, but throws on anything else. Names and descriptions come from
 * ERPs and people, so a stray emoji, a Polish Ł or a Sámi ŋ must not stop an invoice from being
 * delivered: we replace such characters with the nearest WinAnsi text, or `?` when there is none.
 */

/** Look-alikes that Unicode decomposition does not produce (they are letters of their own, not accented ones). */
const NEAREST: Record<string, string> = {
  // Sámi (Norway's other official written languages) and Central European letters
  Đ: 'D', đ: 'd', Ŋ: 'N', ŋ: 'n', Ŧ: 'T', ŧ: 't', Ł: 'L', ł: 'l', Ħ: 'H', ħ: 'h', ı: 'i', ĸ: 'k',
  // Punctuation and signs outside Windows-1252
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2212': '-', '\u2043': '-',
  '\u2032': "'", '\u2033': '"', '\u201B': "'", '\u201F': '"', '\u2044': '/', '\u2215': '/',
  '\u2264': '<=', '\u2265': '>=', '\u2260': '!=', '\u2192': '->', '\u2190': '<-', '\u2248': '~',
  '\u2116': 'No.', '\u2122': '(TM)',
};

/** Space-like characters (tabs, line breaks, thin and narrow no-break spaces) all become one plain space. */
const SPACE_LIKE = /[\t\n\v\f\r\u0085\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;
/** Characters that have no width and no meaning on paper (zero-width joiners, emoji variation selectors, BOM). */
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/;
const COMBINING_MARK = /\p{M}/gu;

/**
 * Returns a function that rewrites text so that every character is in `characterSet`
 * (the code points the font can encode, from pdf-lib's `PDFFont.getCharacterSet()`).
 * Example (WinAnsi): `Łódź 😀 ŋ` → `Lódz ? n`; `Blåbærsyltetøy` is unchanged.
 */
export function winAnsiSanitizer(characterSet: Iterable<number>): (text: string) => string {
  const supported = new Set(characterSet);
  const encodable = (s: string) => Array.from(s).every((c) => supported.has(c.codePointAt(0)!));
  const cache = new Map<string, string>();

  const replacement = (char: string): string => {
    if (SPACE_LIKE.test(char)) return ' ';
    if (INVISIBLE.test(char)) return '';
    const nearest = NEAREST[char];
    if (nearest !== undefined) return nearest;
    // Accented letters outside WinAnsi (č, ő, ț …) and compatibility forms (ﬁ, fullwidth digits) decompose to base letters.
    const decomposed = char.normalize('NFKD').replace(COMBINING_MARK, '');
    if (decomposed && decomposed !== char && encodable(decomposed)) return decomposed;
    return '?';
  };

  return (text: string): string => {
    let out = '';
    // Array.from walks code points, so an emoji (a surrogate pair) becomes one `?`, not two.
    for (const char of Array.from(text.normalize('NFC'))) {
      if (supported.has(char.codePointAt(0)!) && !SPACE_LIKE.test(char)) {
        out += char;
        continue;
      }
      let replaced = cache.get(char);
      if (replaced === undefined) {
        replaced = replacement(char);
        cache.set(char, replaced);
      }
      out += replaced;
    }
    return out;
  };
}
