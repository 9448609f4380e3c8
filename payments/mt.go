package payments

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen/source"
)

// mtReader reads SWIFT MT messages one after another: each starts at its
// basic header block "{1:" and ends where the next one starts (separators
// between them, "$" or control characters of RJE and FIN files, are
// skipped).
type mtReader struct {
	file string
	r    *bufio.Reader
	doc  int
	seq  int
	line int // line of the next byte to read
	done bool
}

func newMTReader(file string, r io.Reader) *mtReader {
	return &mtReader{file: file, r: bufio.NewReaderSize(source.CapReader(file, r, source.CurrentLimits().MaxBytes), 64<<10), line: 1}
}

// Next returns the next payment, a *ParseError, or io.EOF.
func (x *mtReader) Next() (*Message, error) {
	for {
		if x.done {
			return nil, io.EOF
		}
		raw, line, err := x.read()
		if err != nil {
			return nil, err
		}
		if raw == nil {
			continue
		}
		x.doc++
		m, perr := parseMT(x.file, x.doc, line, raw)
		if perr != nil {
			return nil, perr
		}
		x.seq++
		m.Seq = x.seq
		return m, nil
	}
}

// read returns the bytes of the next message, from "{1:" to before the
// next "{1:" or the end, and the line it starts on; nil when only
// separators were left.
func (x *mtReader) read() ([]byte, int, error) {
	// Skip to the first "{1:".
	var buf []byte
	start := 0
	for {
		c, err := x.r.ReadByte()
		if err == io.EOF {
			x.done = true
			if x.doc == 0 {
				return nil, 0, &ParseError{File: x.file, Doc: 1, Line: x.line, Message: "no SWIFT MT message found (want messages starting with a basic header block {1:...})", Fatal: true}
			}
			return nil, 0, nil
		}
		if err != nil {
			x.done = true
			return nil, 0, &ParseError{File: x.file, Doc: x.doc + 1, Line: x.line, Message: err.Error(), Fatal: true}
		}
		if c == '\n' {
			x.line++
		}
		if c == '{' {
			if b, _ := x.r.Peek(2); string(b) == "1:" {
				start = x.line
				buf = append(buf, c)
				break
			}
		}
	}
	tooBig := false
	for {
		if b, _ := x.r.Peek(3); string(b) == "{1:" {
			break
		}
		c, err := x.r.ReadByte()
		if err == io.EOF {
			x.done = true
			break
		}
		if err != nil {
			x.done = true
			return nil, 0, &ParseError{File: x.file, Doc: x.doc + 1, Line: x.line, Message: err.Error(), Fatal: true}
		}
		if c == '\n' {
			x.line++
		}
		if len(buf) < maxMTBytes {
			buf = append(buf, c)
		} else {
			tooBig = true
		}
	}
	if tooBig {
		x.doc++
		return nil, 0, &ParseError{File: x.file, Doc: x.doc, Line: start,
			Message: fmt.Sprintf("the message is longer than %d KiB (SWIFT allows 10,000 characters of text): not screened", maxMTBytes>>10)}
	}
	return buf, start, nil
}

// mtBlocks are the blocks of one MT message, by id ("1", "2", "3", "4", "5").
type mtBlocks struct {
	b     map[string]string
	line4 int // line where block 4's text starts
}

// splitBlocks cuts a message into its blocks. Block 4 ends at "-}";
// the others at their matching brace.
func splitBlocks(raw []byte, line int) (mtBlocks, string) {
	bl := mtBlocks{b: map[string]string{}}
	s := string(raw)
	i := 0
	for i < len(s) {
		c := s[i]
		if c != '{' {
			if c == '\n' {
				line++
			}
			i++
			continue
		}
		colon := strings.IndexByte(s[i:], ':')
		if colon < 2 || colon > 4 {
			return bl, fmt.Sprintf("a block at byte %d has no id", i)
		}
		id := s[i+1 : i+colon]
		body := i + colon + 1
		if id == "4" {
			end := strings.Index(s[body:], "\n-}")
			skip := 3
			if end < 0 {
				end = strings.Index(s[body:], "-}")
				skip = 2
			}
			if end < 0 {
				return bl, "block 4 (the text) does not end with \"-}\": the message is cut short"
			}
			bl.line4 = line
			bl.b[id] = s[body : body+end]
			line += strings.Count(s[i:body+end+skip], "\n")
			i = body + end + skip
			continue
		}
		depth, j := 1, body
		for ; j < len(s) && depth > 0; j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth > 0 {
			return bl, fmt.Sprintf("block %s does not end: the message is cut short", id)
		}
		if _, dup := bl.b[id]; !dup {
			bl.b[id] = s[body : j-1]
		}
		line += strings.Count(s[i:j], "\n")
		i = j
	}
	return bl, ""
}

var reMTTag = regexp.MustCompile(`^:([0-9]{2}[A-Z]?):`)

// mtField is one field of block 4.
type mtField struct {
	tag   string
	value string
	line  int
}

// mtRoles names the party of each field number, in sequence A (and MT103)
// and in the underlying customer credit transfer (MT202COV sequence B).
var mtRoles = map[string]string{
	"50": "ordering_customer", "51": "sending_institution", "52": "ordering_institution",
	"53": "senders_correspondent", "54": "receivers_correspondent", "55": "third_reimbursement_institution",
	"56": "intermediary", "57": "account_with_institution", "58": "beneficiary_institution", "59": "beneficiary_customer",
}

// parseMT reads one MT message.
func parseMT(file string, doc, line int, raw []byte) (*Message, *ParseError) {
	fail := func(l int, el, format string, args ...any) *ParseError {
		return &ParseError{File: file, Doc: doc, Line: l, Element: el, Message: fmt.Sprintf(format, args...)}
	}
	bl, msg := splitBlocks(bytes.TrimRight(raw, "\r\n\t $\x03\x01"), line)
	if msg != "" {
		return nil, fail(line, "", "%s", msg)
	}
	b1, ok1 := bl.b["1"]
	b2, ok2 := bl.b["2"]
	b4, ok4 := bl.b["4"]
	if !ok1 || !ok2 || !ok4 {
		return nil, fail(line, "", "a message needs blocks 1 (basic header), 2 (application header) and 4 (text); this one has %s", strings.Join(keys(bl.b), ", "))
	}
	m := &Message{Doc: doc, Line: line}
	typ, sender, receiver, err := mtHeaders(b1, b2)
	if err != "" {
		return nil, fail(line, "block 2", "%s", err)
	}
	b3 := bl.b["3"]
	cov := strings.Contains(b3, "{119:COV}")
	if u := between(b3, "{121:", "}"); u != "" {
		m.UETR = u
	}
	switch typ {
	case "103":
		m.Type = "MT103"
	case "202":
		m.Type = "MT202"
		if cov {
			m.Type = "MT202COV"
		}
	default:
		return nil, fail(line, "block 2", "MT%s is not a payment lexscreen screens (it reads MT103, MT202 and MT202COV); not screened", typ)
	}
	m.addParty(Party{Role: "sender", Field: "block 1", BIC: sender, Line: line})
	m.addParty(Party{Role: "receiver", Field: "block 2", BIC: receiver, Line: line})
	fields := mtFields(b4, bl.line4)
	seqB := false
	for _, f := range fields {
		num := f.tag[:2]
		opt := f.tag[2:]
		if m.Type == "MT202" && num == "50" {
			// Sequence B without {119:COV}: read it as a cover payment.
			m.Type = "MT202COV"
			m.note("MT202 with sequence B (field 50a) but no {119:COV} in block 3: read as MT202COV")
		}
		if m.Type == "MT202COV" && num == "50" {
			seqB = true
		}
		switch {
		case num == "20":
			m.Reference = strings.TrimSpace(f.value)
		case num == "21":
			m.Related = strings.TrimSpace(f.value)
		case f.tag == "32A":
			d, ccy, amt, ok := parse32A(f.value)
			if !ok {
				return nil, fail(f.line, "32A", "field 32A %q is not YYMMDD, a currency code and an amount (e.g. 250301EUR1000,00)", clip(f.value, 40))
			}
			m.ValueDate, m.DateField, m.Currency, m.Amount = d, "32A", ccy, amt
		case f.tag == "33B" && m.Currency == "":
			if len(f.value) > 3 {
				m.Currency, m.Amount = f.value[:3], f.value[3:]
			}
		case num == "70" || num == "72" || f.tag == "77B":
			field := f.tag
			if seqB {
				field = "B/" + field
			}
			m.addText(field, mtText(f.value), f.line)
		default:
			role, ok := mtRoles[num]
			if !ok {
				continue
			}
			p, perr := mtParty(f, opt)
			if perr != "" {
				return nil, fail(f.line, f.tag, "%s", perr)
			}
			p.Role = role
			if seqB {
				p.Role, p.Underlying, p.Field = "underlying_"+role, true, "B/"+f.tag
			}
			m.addParty(p)
		}
	}
	if m.Reference == "" {
		return nil, fail(bl.line4, "20", "field 20 (the sender's reference) is missing")
	}
	if m.ValueDate == "" {
		return nil, fail(bl.line4, "32A", "field 32A (value date, currency, amount) is missing")
	}
	return m, nil
}

// mtHeaders reads the message type and the sender's and receiver's BICs
// from blocks 1 and 2 (input: block 1 is the sender; output: block 1 is
// the receiver and the sender is in the message input reference).
func mtHeaders(b1, b2 string) (typ, sender, receiver, err string) {
	if len(b1) < 15 || b1[0] != 'F' {
		return "", "", "", fmt.Sprintf("block 1 %q is not a basic header (F01 and a 12-character address)", clip(b1, 30))
	}
	own := ltBIC(b1[3:15])
	if len(b2) < 4 {
		return "", "", "", fmt.Sprintf("block 2 %q is too short for an application header", b2)
	}
	typ = b2[1:4]
	switch b2[0] {
	case 'I':
		if len(b2) < 16 {
			return "", "", "", fmt.Sprintf("input block 2 %q has no 12-character receiver address", b2)
		}
		return typ, own, ltBIC(b2[4:16]), ""
	case 'O':
		// O + type + HHMM + MIR (YYMMDD + LT address 12 + session 4 + sequence 6) ...
		if len(b2) < 26 {
			return "", "", "", fmt.Sprintf("output block 2 %q has no message input reference", b2)
		}
		return typ, ltBIC(b2[14:26]), own, ""
	}
	return "", "", "", fmt.Sprintf("block 2 %q starts with neither I (input) nor O (output)", clip(b2, 30))
}

// ltBIC turns a 12-character logical terminal address into a BIC: the
// first 8 characters and the branch (the 9th, the terminal code, is not
// part of the BIC).
func ltBIC(lt string) string {
	bic := strings.ToUpper(lt[:8] + lt[9:12])
	if strings.HasSuffix(bic, "XXX") {
		bic = bic[:8]
	}
	return bic
}

// mtFields splits block 4 into fields; continuation lines join their
// field with a newline.
func mtFields(b4 string, line int) []mtField {
	var out []mtField
	for i, l := range strings.Split(strings.ReplaceAll(b4, "\r\n", "\n"), "\n") {
		l = strings.TrimRight(l, "\r")
		if m := reMTTag.FindStringSubmatch(l); m != nil {
			out = append(out, mtField{tag: m[1], value: l[len(m[0]):], line: line + i})
			continue
		}
		if n := len(out); n > 0 {
			out[n-1].value += "\n" + l
		}
	}
	return out
}

// mtParty reads a party field by its option: A (BIC), B (location), C
// (account), D, K and none (name and address), F (structured).
func mtParty(f mtField, opt string) (Party, string) {
	p := Party{Field: f.tag, Line: f.line}
	lines := strings.Split(strings.TrimRight(f.value, "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	// An account or party identifier comes first, after a slash (A, B, C,
	// D, K and 59), or is the first line of option F.
	if len(lines) > 0 && (strings.HasPrefix(lines[0], "/") || opt == "F" && !strings.HasPrefix(lines[0], "1/")) {
		p.Account = strings.TrimLeft(lines[0], "/")
		lines = lines[1:]
	}
	switch opt {
	case "A":
		if len(lines) == 0 || !ValidBIC(strings.ToUpper(lines[0])) {
			got := ""
			if len(lines) > 0 {
				got = lines[0]
			}
			return p, fmt.Sprintf("option A wants a BIC (8 or 11 letters and digits) on the line after the account; got %q", clip(got, 40))
		}
		p.BIC = normBIC(lines[0])
	case "B":
		p.Address = lines
	case "C":
		// An account alone: nothing to screen but the account.
	case "F":
		var name []string
		for _, l := range lines {
			num, rest, ok := strings.Cut(l, "/")
			if !ok || len(num) != 1 {
				return p, fmt.Sprintf("option F wants numbered lines (1/name, 2/address, 3/country/town ...); got %q", clip(l, 40))
			}
			switch num {
			case "1":
				name = append(name, rest)
			case "2":
				p.Address = append(p.Address, rest)
			case "3":
				cc, town, _ := strings.Cut(rest, "/")
				if len(cc) == 2 {
					p.Country = strings.ToUpper(cc)
				}
				p.Address = append(p.Address, town)
			case "4":
				if t, err := time.Parse("20060102", rest); err == nil {
					p.BirthDate = t.Format("2006-01-02")
				}
			}
		}
		p.Name = strings.Join(name, " ")
	default: // D, K, 59 without a letter: name then address
		if len(lines) > 0 {
			p.Name = lines[0]
			p.Address = lines[1:]
		}
		if n := len(p.Address); n > 0 {
			p.Country = addressCountry(p.Address[n-1])
		}
	}
	return p, ""
}

// addressCountry reads a country from the last line of a free-format
// address: the whole line or its last word as a country name or code
// ("TEHRAN IRAN", "IR"); "" when neither reads as one.
func addressCountry(l string) string {
	l = strings.TrimSpace(l)
	if cc, _, ok := strings.Cut(l, "/"); ok && len(cc) == 2 {
		if c := source.CountryCode(cc); c != "" {
			return c
		}
	}
	if c := source.CountryCode(l); c != "" {
		return c
	}
	if i := strings.LastIndexAny(l, " ,"); i >= 0 {
		if w := strings.TrimSpace(l[i+1:]); len(w) > 2 {
			return source.CountryCode(w)
		}
	}
	return ""
}

// parse32A reads field 32A: YYMMDD, currency, amount with a decimal comma.
func parse32A(v string) (date, ccy, amount string, ok bool) {
	v = strings.TrimSpace(v)
	if len(v) < 10 {
		return "", "", "", false
	}
	t, err := time.Parse("060102", v[:6])
	if err != nil {
		return "", "", "", false
	}
	ccy, amount = v[6:9], v[9:]
	for _, c := range ccy {
		if c < 'A' || c > 'Z' {
			return "", "", "", false
		}
	}
	if amount == "" || strings.Trim(amount, "0123456789,") != "" {
		return "", "", "", false
	}
	return t.Format("2006-01-02"), ccy, amount, true
}

// mtText joins the lines of a free-text field, without the codes of
// field 72 ("/BNF/", "/ACC/", "//" continuations).
func mtText(v string) string {
	var out []string
	for _, l := range strings.Split(v, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "//"); ok {
			l = rest
		} else if strings.HasPrefix(l, "/") {
			if i := strings.IndexByte(l[1:], '/'); i >= 0 && i <= 8 {
				l = l[i+2:]
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, " ")
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}

func keys(m map[string]string) []string {
	var out []string
	for _, k := range []string{"1", "2", "3", "4", "5"} {
		if _, ok := m[k]; ok {
			out = append(out, "block "+k)
		}
	}
	if len(out) == 0 {
		return []string{"no block"}
	}
	return out
}
