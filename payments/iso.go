package payments

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lexscreen/lexscreen/source"
)

// isoRoots maps the root element of an ISO 20022 document to its message
// type.
var isoRoots = map[string]string{
	"FIToFICstmrCdtTrf": "pacs.008",
	"FICdtTrf":          "pacs.009",
	"CstmrCdtTrfInitn":  "pain.001",
	"FIToFIPmtCxlReq":   "camt.056",
	"RsltnOfInvstgtn":   "camt.029",
}

// isoParties maps the ISO 20022 party and agent elements to roles.
var isoParties = map[string]string{
	"Dbtr": "debtor", "Cdtr": "creditor", "UltmtDbtr": "ultimate_debtor", "UltmtCdtr": "ultimate_creditor",
	"InitgPty": "initiating_party", "DbtrAgt": "debtor_agent", "CdtrAgt": "creditor_agent",
	"InstgAgt": "instructing_agent", "InstdAgt": "instructed_agent",
	"IntrmyAgt1": "intermediary_agent_1", "IntrmyAgt2": "intermediary_agent_2", "IntrmyAgt3": "intermediary_agent_3",
	"PrvsInstgAgt1": "previous_instructing_agent_1", "PrvsInstgAgt2": "previous_instructing_agent_2",
	"PrvsInstgAgt3": "previous_instructing_agent_3", "FwdgAgt": "forwarding_agent",
	"Assgnr": "assigner", "Assgne": "assignee", "Cretr": "case_creator", "Orgtr": "originator",
}

// isoTx are the elements that hold one transaction.
var isoTx = map[string]bool{"CdtTrfTxInf": true, "TxInf": true, "TxInfAndSts": true}

// isoAddress are the postal address elements kept as address lines.
var isoAddress = map[string]bool{"AdrLine": true, "StrtNm": true, "BldgNb": true, "PstCd": true, "TwnNm": true, "CtrySubDvsn": true, "Dept": true}

// isoReader reads ISO 20022 documents one after another (concatenated,
// each in a business application header envelope, or a list), one
// transaction at a time.
type isoReader struct {
	file  string
	d     *source.XMLDecoder
	queue []*Message
	seq   int
	doc   int
	done  bool
	stack []string
	text  []byte
	// scopes: the header (AppHdr), the document's group header, the
	// pain.001 payment information, the transaction.
	hdr, grp, pmt, tx *Message
	docType           string
	docLine           int
	emitted           int  // transactions emitted from the current document
	cov               bool // the header says the document is a cover payment
	party             *Party
	partyDepth        int
	accounts          map[string]string // role -> account, of the current transaction
	outerAccounts     map[string]string // role -> account, outside transactions (pain.001 PmtInf)
	amountCcy         string
}

func newISOReader(file string, r io.Reader) *isoReader {
	return &isoReader{file: file, d: source.NewXMLDecoder(file, r)}
}

// Next returns the next payment, a *ParseError, or io.EOF.
func (x *isoReader) Next() (*Message, error) {
	for len(x.queue) == 0 {
		if x.done {
			return nil, io.EOF
		}
		if err := x.step(); err != nil {
			return nil, err
		}
	}
	m := x.queue[0]
	x.queue = x.queue[1:]
	return m, nil
}

func (x *isoReader) line() int {
	l, _ := x.d.InputPos()
	return l
}

func (x *isoReader) fail(fatal bool, element, format string, args ...any) *ParseError {
	doc := x.doc
	if doc == 0 {
		doc = 1
	}
	if fatal {
		x.done = true
	}
	return &ParseError{File: x.file, Doc: doc, Line: x.line(), Element: element, Message: fmt.Sprintf(format, args...), Fatal: fatal}
}

// step reads one token.
func (x *isoReader) step() error {
	tok, err := x.d.Token()
	if err == io.EOF {
		x.done = true
		if len(x.stack) > 0 {
			return x.fail(true, strings.Join(x.stack, "/"), "the XML ends inside <%s>: the file is cut short", x.stack[len(x.stack)-1])
		}
		if x.doc == 0 {
			return x.fail(true, "", "no ISO 20022 document found (want a <Document> of pacs.008, pacs.009, pain.001, camt.056 or camt.029)")
		}
		return nil
	}
	if err != nil {
		var se *xml.SyntaxError
		msg := err.Error()
		if errors.As(err, &se) {
			msg = "the XML is malformed: " + se.Msg
			if se.Msg == "unexpected EOF" && len(x.stack) > 0 {
				msg = fmt.Sprintf("the XML ends inside <%s>: the file is cut short", x.stack[len(x.stack)-1])
			}
		}
		return x.fail(true, strings.Join(x.stack, "/"), "%s", msg)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		return x.start(t)
	case xml.EndElement:
		return x.end(t.Name.Local)
	case xml.CharData:
		if len(x.text)+len(t) <= maxTextBytes {
			x.text = append(x.text, t...)
		}
	case xml.Directive:
		return x.fail(true, "", "the XML has a <!%s> directive (a DTD): payment messages never have one, and it is refused rather than read", clip(string(t), 20))
	}
	return nil
}

func (x *isoReader) start(t xml.StartElement) error {
	name := t.Name.Local
	x.text = x.text[:0]
	if len(x.stack) >= maxDepth {
		return x.fail(true, strings.Join(x.stack, "/"), "the XML nests deeper than %d elements", maxDepth)
	}
	x.stack = append(x.stack, name)
	switch {
	case name == "AppHdr":
		x.hdr, x.cov = &Message{}, false
		return nil
	case name == "Document":
		x.beginDoc()
		return nil
	case x.docType == "" && x.rootExpected():
		typ, ok := isoRoots[name]
		if !ok {
			if x.inDocument() || strings.HasPrefix(t.Name.Space, "urn:iso:std:iso:20022") {
				x.beginDocIfNeeded()
				line := x.line()
				x.stack = x.stack[:len(x.stack)-1]
				if err := x.d.Skip(); err != nil {
					return x.fail(true, name, "the XML is malformed: %v", err)
				}
				x.skipRestOfDocument()
				return &ParseError{File: x.file, Doc: x.doc, Line: line, Element: name,
					Message: fmt.Sprintf("<%s> is not a message lexscreen screens (it reads pacs.008, pacs.009, pain.001, camt.056 and camt.029); the message was not screened", name)}
			}
			return nil // an envelope element: look inside
		}
		x.beginDocIfNeeded()
		x.docType = typ
		return nil
	}
	if x.docType == "" && x.hdr == nil {
		return nil
	}
	if isoTx[name] && x.docType != "" {
		x.tx = &Message{Line: x.line()}
		x.accounts = map[string]string{}
		return nil
	}
	if name == "PmtInf" {
		x.pmt = &Message{}
		return nil
	}
	if role, ok := isoParties[name]; ok && x.party == nil && x.partyRole(name) {
		x.party = &Party{Role: role, Field: x.path(), Line: x.line(), Underlying: x.under("UndrlygCstmrCdtTrf")}
		if x.party.Underlying {
			x.party.Role = "underlying_" + role
		}
		x.partyDepth = len(x.stack)
		return nil
	}
	if strings.HasSuffix(name, "Amt") {
		for _, a := range t.Attr {
			if a.Name.Local == "Ccy" {
				x.amountCcy = a.Value
			}
		}
	}
	if name == "Fr" && x.under("AppHdr") || name == "To" && x.under("AppHdr") {
		role := map[string]string{"Fr": "sender", "To": "receiver"}[name]
		x.party = &Party{Role: role, Field: "AppHdr/" + name, Line: x.line()}
		x.partyDepth = len(x.stack)
	}
	return nil
}

// partyRole reports whether a party element name is one here: Fr and To
// only in the header, Orgtr only as a reason's originator.
func (x *isoReader) partyRole(name string) bool {
	if name == "Orgtr" {
		return x.under("CxlRsnInf") || x.under("StsRsnInf") || x.under("CxlStsRsnInf")
	}
	return true
}

// rootExpected reports whether the element just pushed is where a
// message's root may be: a child of Document, or any element outside one
// (a bare root, or inside an envelope).
func (x *isoReader) rootExpected() bool {
	n := len(x.stack)
	if n >= 2 && x.stack[n-2] == "Document" {
		return true
	}
	return !x.inDocument() && !x.under("AppHdr")
}

func (x *isoReader) inDocument() bool {
	for _, s := range x.stack[:len(x.stack)-1] {
		if s == "Document" {
			return true
		}
	}
	return false
}

// under reports whether an element of that name (or, for "Acct", ending
// so) encloses the current one.
func (x *isoReader) under(name string) bool {
	for _, s := range x.stack {
		if s == name || name == "Acct" && strings.HasSuffix(s, name) {
			return true
		}
	}
	return false
}

// path is the current element path below the message root.
func (x *isoReader) path() string {
	for i, s := range x.stack {
		if _, ok := isoRoots[s]; ok {
			return strings.Join(x.stack[i+1:], "/")
		}
	}
	return strings.Join(x.stack, "/")
}

func (x *isoReader) beginDoc() {
	x.doc++
	x.docLine = x.line()
	x.docType, x.grp, x.pmt, x.tx, x.emitted = "", &Message{}, nil, nil, 0
	x.party, x.accounts, x.outerAccounts = nil, nil, map[string]string{}
}

// beginDocIfNeeded starts a document for a bare message root (no
// <Document> around it).
func (x *isoReader) beginDocIfNeeded() {
	if !x.inDocument() {
		x.beginDoc()
	}
}

// skipRestOfDocument forgets the current document after an error.
func (x *isoReader) skipRestOfDocument() {
	x.docType, x.grp, x.pmt, x.tx, x.party, x.hdr = "", nil, nil, nil, nil, nil
	x.emitted = -1 // nothing to emit at its end
}

// scope is the message the current element's fields belong to.
func (x *isoReader) scope() *Message {
	switch {
	case x.tx != nil:
		return x.tx
	case x.pmt != nil:
		return x.pmt
	case x.grp != nil && x.docType != "":
		return x.grp
	case x.hdr != nil:
		return x.hdr
	}
	return nil
}

func (x *isoReader) end(name string) error {
	text := strings.TrimSpace(string(x.text))
	x.text = x.text[:0]
	n := len(x.stack)
	if n == 0 {
		return x.fail(true, name, "</%s> closes nothing", name)
	}
	parent := ""
	if n >= 2 {
		parent = x.stack[n-2]
	}
	defer func() { x.stack = x.stack[:len(x.stack)-1] }()
	sc := x.scope()
	if x.party != nil {
		if n == x.partyDepth {
			if sc != nil {
				sc.addParty(*x.party)
			}
			x.party = nil
			return nil
		}
		x.partyField(name, parent, text)
		return nil
	}
	switch {
	case name == "AppHdr":
		return nil
	case isoTx[name] && x.tx != nil:
		x.emit()
		x.tx = nil
		return nil
	case name == "PmtInf":
		x.pmt = nil
		return nil
	case name == "Document" || isoRoots[name] != "" && !x.inDocument():
		if x.emitted == 0 && x.docType != "" {
			x.emit()
		}
		x.docType, x.grp, x.hdr = "", nil, nil
		return nil
	}
	if sc == nil || text == "" {
		return nil
	}
	x.field(sc, name, parent, text)
	return nil
}

// partyField stores a field of the party being read.
func (x *isoReader) partyField(name, parent, text string) {
	p := x.party
	if text == "" {
		return
	}
	switch {
	case name == "Nm" && (parent == "Pty" || parent == "FinInstnId" || isoParties[parent] != "" || parent == "Agt"):
		if p.Name == "" {
			p.Name = clip(text, maxTextBytes)
		}
	case name == "Ctry" && parent == "PstlAdr":
		p.Country = strings.ToUpper(text)
	case name == "CtryOfRes":
		if p.Country == "" {
			p.Country = strings.ToUpper(text)
		}
	case isoAddress[name] && parent == "PstlAdr":
		if len(p.Address) < 8 {
			p.Address = append(p.Address, clip(text, 140))
		}
	case name == "BICFI" || name == "BIC" || name == "AnyBIC" || name == "BICOrBEI":
		if p.BIC == "" {
			p.BIC = normBIC(text)
		}
	case name == "LEI":
		p.LEI = text
	case name == "BirthDt":
		p.BirthDate = text
	}
}

// field stores a field of the message outside any party.
func (x *isoReader) field(m *Message, name, parent, text string) {
	switch {
	case name == "MsgId" || name == "BizMsgIdr" || name == "Id" && parent == "Assgnmt":
		if m.Reference == "" {
			m.Reference = text
		}
	case name == "MsgDefIdr" || name == "BizSvc":
		if strings.Contains(strings.ToLower(text), "cov") {
			x.cov = true
		}
	case name == "EndToEndId" || name == "OrgnlEndToEndId":
		m.Reference = text
	case name == "TxId" || name == "OrgnlMsgId" || name == "OrgnlTxId":
		if m.Related == "" {
			m.Related = text
		}
	case name == "UETR" || name == "OrgnlUETR":
		m.UETR = text
	case name == "IntrBkSttlmDt" || name == "OrgnlIntrBkSttlmDt" || name == "ReqdExctnDt" || name == "Dt" && parent == "ReqdExctnDt":
		if m.ValueDate == "" || name == "IntrBkSttlmDt" {
			m.ValueDate, m.DateField = clip(text, 10), name
			if parent == "ReqdExctnDt" {
				m.DateField = "ReqdExctnDt/Dt"
			}
		}
	case name == "DtTm" && parent == "ReqdExctnDt":
		if m.ValueDate == "" {
			m.ValueDate, m.DateField = clip(text, 10), "ReqdExctnDt/DtTm"
		}
	case name == "IntrBkSttlmAmt" || name == "InstdAmt" || name == "OrgnlIntrBkSttlmAmt" || name == "Amt" && parent != "RfrdDocAmt":
		if m.Amount == "" || name == "IntrBkSttlmAmt" {
			m.Amount, m.Currency = text, x.amountCcy
		}
	case name == "Ustrd" || name == "AddtlRmtInf" || name == "InstrInf" || name == "AddtlInf" || name == "Inf" || name == "Nb" && parent == "RfrdDocInf":
		field := x.path()
		m.addText(field, text, x.line())
	case name == "IBAN" || name == "Id" && x.under("Acct"):
		for i := len(x.stack) - 2; i >= 0; i-- {
			if acct := x.stack[i]; strings.HasSuffix(acct, "Acct") {
				if role, ok := isoParties[strings.TrimSuffix(acct, "Acct")]; ok {
					if x.tx != nil && x.accounts != nil {
						x.accounts[role] = text
					} else if x.outerAccounts != nil {
						x.outerAccounts[role] = text
					}
				}
				break
			}
		}
	}
}

// emit queues the payment of the current transaction (or document).
func (x *isoReader) emit() {
	x.seq++
	x.emitted++
	m := &Message{Seq: x.seq, Doc: x.doc, Line: x.docLine, Type: x.docType}
	if x.docType == "pacs.009" && x.cov {
		m.Type = "pacs.009COV"
	}
	var refs []string
	for _, sc := range []*Message{x.hdr, x.grp, x.pmt, x.tx} {
		if sc == nil {
			continue
		}
		if sc.Line > 0 {
			m.Line = sc.Line
		}
		if sc.Reference != "" && sc != x.hdr {
			refs = append(refs, sc.Reference)
		}
		if sc.Related != "" {
			m.Related = sc.Related
		}
		if sc.UETR != "" {
			m.UETR = sc.UETR
		}
		if sc.ValueDate != "" {
			m.ValueDate, m.DateField = sc.ValueDate, sc.DateField
		}
		if sc.Amount != "" {
			m.Amount, m.Currency = sc.Amount, sc.Currency
		}
		for _, p := range sc.Parties {
			a := x.accounts[p.Role]
			if a == "" {
				a = x.outerAccounts[p.Role]
			}
			if a != "" && p.Account == "" && !p.Underlying {
				p.Account = a
			}
			m.addParty(p)
		}
		for _, t := range sc.Texts {
			m.addText(t.Field, t.Text, t.Line)
		}
		m.Notes = append(m.Notes, sc.Notes...)
	}
	for _, p := range m.Parties {
		if p.Underlying && m.Type == "pacs.009" {
			m.Type = "pacs.009COV"
		}
	}
	m.Reference = strings.Join(refs, "/")
	if m.Parties == nil {
		m.Parties = []Party{}
	}
	x.queue = append(x.queue, m)
}
