package store

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON reading of jsonDec (entityjson.go): values of the kinds an
// entity has, read as encoding/json reads them into a zero value.

// fail stops the reading: UnmarshalEntity falls back to encoding/json.
func (d *jsonDec) fail() {
	d.bad = true
	d.pos = len(d.data)
}

func (d *jsonDec) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte that is not space (0 at the end).
func (d *jsonDec) peek() byte {
	d.skipSpace()
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// expect consumes byte c, or fails.
func (d *jsonDec) expect(c byte) {
	if d.peek() != c {
		d.fail()
		return
	}
	d.pos++
}

// more consumes the comma before the next element of an object or array
// and reports true, or consumes its end and reports false.
func (d *jsonDec) more(end byte) bool {
	switch d.peek() {
	case ',':
		d.pos++
		return true
	case end:
		d.pos++
		return false
	}
	d.fail()
	return false
}

// null consumes a null and reports whether there was one.
func (d *jsonDec) null() bool {
	if d.peek() != 'n' {
		return false
	}
	if !bytes.HasPrefix(d.data[d.pos:], []byte("null")) {
		d.fail()
		return false
	}
	d.pos += 4
	return true
}

// object reads an object into a zero struct: field reads the value of
// each key (valid during the call only), and returns -1 for a key the
// struct has not (the reading fails: encoding/json would match it to a
// field without regard to case, or skip it). A key twice fails too
// (encoding/json would read the second value into the first).
func (d *jsonDec) object(field func(key []byte) int) {
	if d.null() {
		return
	}
	d.expect('{')
	if d.peek() == '}' {
		d.pos++
		return
	}
	var seenKeys [24][]byte
	seen := seenKeys[:0]
	for !d.bad {
		key := d.key()
		for _, k := range seen {
			if bytes.Equal(k, key) {
				d.fail()
				return
			}
		}
		seen = append(seen, key)
		d.expect(':')
		if d.bad || field(key) < 0 {
			d.fail()
			return
		}
		if !d.more('}') {
			return
		}
	}
}

// key reads a key of a struct: plain ASCII, no escapes.
func (d *jsonDec) key() []byte {
	if d.peek() != '"' {
		d.fail()
		return nil
	}
	start := d.pos + 1
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i]
		case c == '\\' || c < 0x20 || c >= 0x80:
			d.fail()
			return nil
		}
	}
	d.fail()
	return nil
}

// array reads an array into *p: nil for null, an empty slice for [].
func array[T any](d *jsonDec, p *[]T, elem func(*T)) {
	if d.null() {
		*p = nil
		return
	}
	d.expect('[')
	if d.bad {
		return
	}
	out := make([]T, 0, 1)
	if d.peek() == ']' {
		d.pos++
		*p = out[:0:0]
		return
	}
	for !d.bad {
		var zero T
		out = append(out, zero)
		elem(&out[len(out)-1])
		if !d.more(']') {
			break
		}
	}
	*p = out
}

// setString reads a string into *p (left alone for null).
func setString[S ~string](d *jsonDec, p *S) {
	if d.null() {
		return
	}
	if d.peek() != '"' {
		d.fail()
		return
	}
	*p = S(d.str())
}

// string reads a string into *p (an element of a list).
func (d *jsonDec) string(p *string) { setString(d, p) }

// str reads a string at its opening quote. Invalid UTF-8, which
// encoding/json replaces, fails.
func (d *jsonDec) str() string {
	start := d.pos + 1
	ascii := true
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			s := d.data[start:i]
			if !ascii && !utf8.Valid(s) {
				d.fail()
				return ""
			}
			d.pos = i + 1
			return string(s)
		case c == '\\':
			d.pos = i
			return d.escaped(start)
		case c < 0x20:
			d.fail()
			return ""
		case c >= 0x80:
			ascii = false
		}
	}
	d.fail()
	return ""
}

// escaped reads the rest of a string from its first backslash (at pos);
// start is where the string began. A \u escape of a UTF-16 surrogate
// fails (encoding/json pairs them, or replaces them).
func (d *jsonDec) escaped(start int) string {
	d.buf = append(d.buf[:0], d.data[start:d.pos]...)
	for i := d.pos; i < len(d.data); {
		c := d.data[i]
		switch {
		case c == '"':
			if !utf8.Valid(d.buf) {
				d.fail()
				return ""
			}
			d.pos = i + 1
			return string(d.buf)
		case c < 0x20:
			d.fail()
			return ""
		case c != '\\':
			d.buf = append(d.buf, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			break
		}
		switch e := d.data[i+1]; e {
		case '"', '\\', '/':
			d.buf = append(d.buf, e)
		case 'b':
			d.buf = append(d.buf, '\b')
		case 'f':
			d.buf = append(d.buf, '\f')
		case 'n':
			d.buf = append(d.buf, '\n')
		case 'r':
			d.buf = append(d.buf, '\r')
		case 't':
			d.buf = append(d.buf, '\t')
		case 'u':
			r, ok := hex4(d.data[i+2:])
			if !ok || utf16.IsSurrogate(r) {
				d.fail()
				return ""
			}
			d.buf = utf8.AppendRune(d.buf, r)
			i += 4
		default:
			d.fail()
			return ""
		}
		i += 2
	}
	d.fail()
	return ""
}

// hex4 reads the four hexadecimal digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// bool reads true or false into *p (left alone for null).
func (d *jsonDec) bool(p *bool) {
	if d.null() {
		return
	}
	d.skipSpace()
	switch rest := d.data[d.pos:]; {
	case bytes.HasPrefix(rest, []byte("true")):
		*p = true
		d.pos += 4
	case bytes.HasPrefix(rest, []byte("false")):
		*p = false
		d.pos += 5
	default:
		d.fail()
	}
}
