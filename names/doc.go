// Package names is the name normaliser of the matcher: it folds names in any
// script to lower-case ASCII Latin (Fold), splits and classifies them
// (Tokenize, TokenizeParts), and computes retrieval keys (Phonetic,
// Skeleton). Everything is deterministic and allocation-light: a typical
// Latin name folds in well under 1 µs, a non-Latin one in 1-3 µs.
//
// # Disguises
//
// Before anything else, Fold reads a name as Clean does: format and control
// characters dropped (a zero-width space, word joiner, bidi control, BOM,
// soft hyphen, NUL or BEL inside a word neither splits nor breaks it),
// compatibility forms folded (NFKC: fullwidth, mathematical letters), and
// Cyrillic or Greek letters that look Latin read as the Latin letters they
// imitate inside Latin words (confusables.go, after Unicode TR39), while a
// name written in Cyrillic or Greek keeps its transliteration. JoinSpelled
// gives the reading of a name whose words are spelt out letter by letter
// (P.U.T.I.N, P U T I N); the matcher screens it as an extra reading.
//
// # Transliteration choices
//
//   - Latin: NFKC, then unidecode per rune (é->e, ø->o, æ->ae, ł->l, đ->d,
//     ß->ss, ı->i); German umlauts become the bare vowel (ä->a, not ae).
//   - Cyrillic: BGN/PCGN-like (ж zh, х kh, ц ts, ч ch, ш sh, щ shch, ю yu,
//     я ya, й y, ы y, ь/ъ dropped, е/ё/э e). The whole name decides the
//     variant: Ukrainian (і ї є ґ present: и y, г h, ї yi, є ye), Belarusian
//     (ў present: г h, ў u), Serbian/Macedonian (ђ ј љ њ ћ џ ѓ ќ ѕ present: ђ dj,
//     ћ c, џ dz, љ lj, њ nj, ж z, ч c, ш s, ц c, ѓ gj, ќ kj, ѕ dz), else Russian.
//     Kazakh/Uzbek/Tajik extras (ғ қ ң ү ұ һ ә ө ...) have plain-letter forms.
//   - Greek: ELOT 743-like (η i, υ y, χ ch, θ th, ψ ps, ου ou, αυ/ευ av/ev or
//     af/ef before voiceless consonants, γγ/γκ/γχ/γξ with n, word-initial μπ b
//     and ντ d).
//   - Arabic/Persian/Urdu: see the table in arabic.go. Short vowels are not
//     written, so "محمد" folds to "mhmd": compare with Skeleton.
//   - Hebrew: consonantal table (ו v at word start, u inside; י y/i; final ה a).
//   - Armenian (ու u) and Georgian (Mkhedruli, Mtavruli folded): tables.
//   - Chinese: toneless pinyin of the first (most common) reading of each
//     character, one syllable per token: 习近平 -> "xi jin ping" (ü -> u).
//     HanVariants adds "xi jinping", "xijinping" and other surname readings.
//     Variants adds the Korean (Hanja, from Unihan kHangul) and Japanese
//     (a table of common surnames and given names, then Unihan kun/on
//     readings per character with rendaku) readings.
//   - Chinese in Latin letters, Wade-Giles ("Mao Tse-tung", "Hsi Chin-p'ing"):
//     PinyinFromWadeGiles reads it as pinyin ("mao zedong"); Variants adds
//     that reading to a query, and the matcher indexes it for listed names.
//   - Korean: Revised Romanization computed from the syllable blocks. Words of
//     up to three syllables (Korean personal names) give one token per
//     syllable ("gim jeong eun"), longer words are joined ("beulladimireu").
//     KoreanVariants adds the customary spellings (Kim Jong Un, Lee, Park ...).
//   - Japanese kana: Hepburn with yōon, sokuon, loanword small vowels, long
//     vowels collapsed (ー dropped, ou/oo/uu/aa/ii/ee single).
//   - Brahmic scripts (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil,
//     Telugu, Kannada, Malayalam: one table for their parallel Unicode
//     layout), Sinhala, Khmer and Myanmar: see indic.go (inherent vowel a,
//     virama, matras, anusvara n/m, nukta q z f ..., word-final schwa dropped
//     in the North Indian scripts and Khmer, Myanmar rhymes).
//   - Anything else (Thai, Lao, Tibetan, Ethiopic, ...): unidecode, which is
//     rough for Thai and Lao.
//
// # Variants
//
// Fold gives one reading. Variants(s) returns it first and then the other
// plausible Latin readings (see variants.go): Chinese, Korean and Japanese
// readings of Han names; loan-word readings of katakana, Hangul and Chinese
// transcriptions of foreign names; Greek names without their endings; Hebrew
// vowel letters read as consonants; Hindi/Bengali bh as v; Myanmar syllables;
// Hungarian spelling. The matcher should add each as a query variant.
//
// The matcher should also try joining adjacent single-syllable tokens of
// Chinese and Korean names ("xi jin ping" vs "xi jinping").
//
// # Data
//
// data/org_types.yml and data/stopwords.yml come from opensanctions/rigour
// (MIT licence, see data/README.md). They are embedded and parsed once, on the
// first call that needs them (sync.Once), so programs that never tokenize pay
// nothing. data/cjk_readings.tsv.gz (Unihan, Unicode licence) and
// data/ja_names.txt are loaded likewise on the first Han or Japanese call of
// Variants. The go-pinyin dictionary is a package-level map initialised when
// the program starts (a cost of that library).
package names
