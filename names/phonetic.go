package names

// Phonetic returns a phonetic key of one folded token (lower-case ASCII, as
// produced by Fold) for retrieving spelling and transliteration variants of
// names across languages. Rules, applied left to right, longest match first:
//
//	vowels a e i o u (and y when not consonantal) -> dropped, except that a
//	    token starting with a vowel keeps one "a" as its first letter class
//	y before a vowel at the start, j, dj, dzh, dz, zh     -> j
//	kh, ch, h, tch, tsch, tsh, cz                          -> h   (mikhail = michail = mihail; -vich = -vitch = -witsch)
//	sh, sch, sz                                            -> x
//	k, q, ck, c (not before e/i/y)                         -> k
//	x                                                      -> ks
//	s, z, ts, tz, c before e/i/y                           -> s
//	g, gh                                                  -> g
//	f, ph                                                  -> f
//	v, w                                                   -> v
//	t, th, dt                                              -> t
//	d, dh                                                  -> d
//	b, p, l, m, n, r                                       -> themselves
//	a final h after a vowel is dropped (abdullah = abdulla)
//	adjacent equal classes collapse (mm, ss, dd); digits are kept.
//
// So mohammed = muhammad = mohamad = mukhammad ("mhmd"), aleksandr =
// alexander = aleksander ("alksndr"), yusuf = youssef = yousef = jusuf
// ("jsf"), husayn = hussein = husein ("hsn"), qadhafi = kadafi ("kdf", but
// gaddafi is "gdf": use Skeleton for that one), while putin != platon and
// smith ("smt") != schmidt ("xmdt").
func Phonetic(tok string) string {
	out := make([]byte, 0, len(tok))
	var last byte // last class written (0 after a vowel)
	emit := func(c byte) {
		if c != last {
			out = append(out, c)
		}
		last = c
	}
	n := len(tok)
	at := func(i int) byte {
		if i < n {
			return tok[i]
		}
		return 0
	}
	has := func(i int, s string) bool {
		return len(tok)-i >= len(s) && tok[i:i+len(s)] == s
	}
	for i := 0; i < n; {
		c := tok[i]
		switch {
		case c >= '0' && c <= '9':
			emit(c)
			i++
		case isVowel(c) || (c == 'y' && !(i == 0 && isVowel(at(1)))):
			if i == 0 {
				emit('a')
			}
			last = 0
			i++
		case c == 'y':
			emit('j')
			i++
		case has(i, "dzh"):
			emit('j')
			i += 3
		case has(i, "dj"), has(i, "dz"), has(i, "zh"):
			emit('j')
			i += 2
		case c == 'j':
			emit('j')
			i++
		case has(i, "tsch"):
			emit('h')
			i += 4
		case has(i, "tch"), has(i, "tsh"):
			emit('h')
			i += 3
		case has(i, "sch"):
			emit('x')
			i += 3
		case has(i, "sh"), has(i, "sz"):
			emit('x')
			i += 2
		case has(i, "kh"), has(i, "ch"), has(i, "cz"):
			emit('h')
			i += 2
		case c == 'h':
			if i == n-1 && i > 0 && isVowel(tok[i-1]) {
				i++ // final h after a vowel
				continue
			}
			emit('h')
			i++
		case has(i, "ck"):
			emit('k')
			i += 2
		case c == 'k' || c == 'q':
			emit('k')
			i++
		case c == 'c':
			if nx := at(i + 1); nx == 'e' || nx == 'i' || nx == 'y' {
				emit('s')
			} else {
				emit('k')
			}
			i++
		case c == 'x':
			emit('k')
			emit('s')
			i++
		case has(i, "ts"), has(i, "tz"):
			emit('s')
			i += 2
		case c == 's' || c == 'z':
			emit('s')
			i++
		case has(i, "gh"):
			emit('g')
			i += 2
		case has(i, "ph"):
			emit('f')
			i += 2
		case c == 'w':
			emit('v')
			i++
		case has(i, "th"), has(i, "dt"):
			emit('t')
			i += 2
		case has(i, "dh"):
			emit('d')
			i += 2
		case c >= 'a' && c <= 'z':
			emit(c)
			i++
		default:
			i++ // not a folded token character
		}
	}
	// A final v sounds f in Slavic names: Popov = Popoff.
	if n := len(out); n > 1 && out[n-1] == 'v' {
		out[n-1] = 'f'
	}
	return string(out)
}

// Skeleton returns a coarse consonant skeleton of a folded token, used to
// match names transliterated from scripts that do not write short vowels
// (Arabic, Persian, Hebrew) against Latin spellings. Rules, longest match first:
//
//	vowels a e i o u and y dropped; w dropped except at the start of the token
//	b, p, f, v, ph, and w at the start                      -> b  (putin = butin, vladimir = fladimir)
//	k, q, c (not before e/i/y), ck, g, gh                    -> k  (gaddafi = qadhafi = kadafi)
//	h, kh                                                    -> h  (h is kept: dropping it would make ahmed = mohammed)
//	sh, sch, ch, tch, tsh                                    -> x  (Arabic تش)
//	j, dj, dzh, zh                                           -> j
//	s, z, ts, tz, c before e/i/y                             -> s
//	x                                                        -> ks
//	t, th                                                    -> t;  d, dh -> d  (t and d stay distinct)
//	l, m, n, r                                               -> themselves
//	a final h after a vowel is dropped (abdullah = abd allah joined = abdulla)
//	adjacent equal classes collapse; digits are kept.
//
// So Skeleton("mhmd") == Skeleton("mohammed") == Skeleton("muhammad") ==
// "mhmd" and Skeleton(Fold("بوتين")) == Skeleton("putin") == "btn".
func Skeleton(tok string) string {
	out := make([]byte, 0, len(tok))
	var last byte
	emit := func(c byte) {
		if c != last {
			out = append(out, c)
		}
		last = c
	}
	n := len(tok)
	has := func(i int, s string) bool {
		return len(tok)-i >= len(s) && tok[i:i+len(s)] == s
	}
	for i := 0; i < n; {
		c := tok[i]
		switch {
		case c >= '0' && c <= '9':
			emit(c)
			i++
		case isVowel(c) || c == 'y':
			i++
		case c == 'w':
			if i == 0 {
				emit('b')
			}
			i++
		case has(i, "ph"):
			emit('b')
			i += 2
		case c == 'b' || c == 'p' || c == 'f' || c == 'v':
			emit('b')
			i++
		case has(i, "tsch"):
			emit('x')
			i += 4
		case has(i, "sch"), has(i, "tch"), has(i, "tsh"):
			emit('x')
			i += 3
		case has(i, "sh"), has(i, "ch"):
			emit('x')
			i += 2
		case has(i, "kh"):
			emit('h')
			i += 2
		case has(i, "dzh"):
			emit('j')
			i += 3
		case has(i, "dj"), has(i, "zh"):
			emit('j')
			i += 2
		case c == 'j':
			emit('j')
			i++
		case has(i, "gh"), has(i, "ck"):
			emit('k')
			i += 2
		case c == 'k' || c == 'q' || c == 'g':
			emit('k')
			i++
		case c == 'c':
			if i+1 < n && (tok[i+1] == 'e' || tok[i+1] == 'i' || tok[i+1] == 'y') {
				emit('s')
			} else {
				emit('k')
			}
			i++
		case c == 'h':
			if i == n-1 && i > 0 && isVowel(tok[i-1]) {
				i++
				continue
			}
			emit('h')
			i++
		case has(i, "ts"), has(i, "tz"):
			emit('s')
			i += 2
		case c == 's' || c == 'z':
			emit('s')
			i++
		case c == 'x':
			emit('k')
			emit('s')
			i++
		case has(i, "th"):
			emit('t')
			i += 2
		case has(i, "dh"):
			emit('d')
			i += 2
		case c >= 'a' && c <= 'z':
			emit(c)
			i++
		default:
			i++
		}
	}
	return string(out)
}
