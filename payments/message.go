// Package payments reads the payment messages banks exchange (ISO 20022
// pacs.008, pacs.009 and its COV form, pain.001, camt.056 and camt.029;
// SWIFT MT103, MT202 and MT202COV), maps each to the parties it names and
// its free text, and screens them with the legal answer for an operator on
// the message's value date: pass, hold for review, reject or block, per
// party and for the message.
package payments

import (
	"fmt"
	"strings"
)

// Message is one payment read from a file: one transaction of an ISO 20022
// document (a pacs.008 with three transactions gives three) or one SWIFT MT
// message. Header parties (the group header's agents, the business
// application header's sender and receiver, a pain.001 payment
// information's debtor) are copied into every transaction under them.
type Message struct {
	Seq  int    `json:"seq"`  // 1-based position among the payments of the input
	Doc  int    `json:"doc"`  // 1-based document (ISO) or message (MT) number in the input
	Line int    `json:"line"` // line where the transaction (or MT message) starts
	Type string `json:"type"` // "pacs.008", "pacs.009", "pacs.009COV", "pain.001", "camt.056", "camt.029", "MT103", "MT202", "MT202COV"
	// Reference is the message's own reference (MT field 20; ISO MsgId,
	// with the transaction's end-to-end id after a slash when it has one).
	Reference string `json:"reference,omitempty"`
	// Related is the reference of the payment it relates to (MT field 21;
	// ISO the transaction id, or the original message id of a recall).
	Related string `json:"related,omitempty"`
	UETR    string `json:"uetr,omitempty"` // MT block 3 field 121; ISO UETR
	// ValueDate is the date the obligations are for (YYYY-MM-DD): the
	// interbank settlement date, the requested execution date or the date
	// of MT field 32A; DateField says which ("" when none was given).
	ValueDate string     `json:"value_date,omitempty"`
	DateField string     `json:"date_field,omitempty"`
	Currency  string     `json:"currency,omitempty"`
	Amount    string     `json:"amount,omitempty"`
	Parties   []Party    `json:"parties"`
	Texts     []FreeText `json:"texts,omitempty"`
	Notes     []string   `json:"notes,omitempty"` // what was read loosely or left out
}

// Party is one party or financial institution a message names.
type Party struct {
	Role string `json:"role"` // debtor, creditor, ultimate_debtor, debtor_agent, intermediary_agent_1, ordering_institution ...
	// Field is where it was read: the MT tag with its option ("50K",
	// "57A") or the ISO element path below the transaction ("Dbtr").
	Field string `json:"field"`
	// Underlying marks the parties of the underlying customer transfer
	// of a cover payment (MT202COV sequence B, pacs.009 UndrlygCstmrCdtTrf).
	Underlying bool     `json:"underlying,omitempty"`
	Name       string   `json:"name,omitempty"`
	Address    []string `json:"address,omitempty"`
	Country    string   `json:"country,omitempty"` // ISO 3166 alpha-2 of the address (or residence)
	BIC        string   `json:"bic,omitempty"`
	LEI        string   `json:"lei,omitempty"`
	Account    string   `json:"account,omitempty"`
	BirthDate  string   `json:"birth_date,omitempty"`
	Line       int      `json:"line,omitempty"`
}

// empty reports whether nothing screenable was read for the party.
func (p *Party) empty() bool { return p.Name == "" && p.BIC == "" && p.LEI == "" }

// FreeText is a free-text field: remittance information, MT fields 70,
// 72 and 77B, a recall's additional information.
type FreeText struct {
	Field string `json:"field"`
	Text  string `json:"text"`
	Line  int    `json:"line,omitempty"`
}

// BICCountry returns the country code of a BIC (its 5th and 6th
// characters), or "" when bic is not shaped like one.
func BICCountry(bic string) string {
	if !ValidBIC(bic) {
		return ""
	}
	return bic[4:6]
}

// ValidBIC reports whether s has the shape of a BIC (ISO 9362): four
// letters (institution), two letters (country), two letters or digits
// (location), and optionally three more (branch).
func ValidBIC(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i < 6 && !letter || i >= 6 && !letter && !digit {
			return false
		}
	}
	return true
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Limits on what one message may make the reader hold.
const (
	maxParties   = 64       // parties of one payment
	maxTexts     = 32       // free-text fields of one payment
	maxTextBytes = 4 << 10  // one free-text field or name
	maxMTBytes   = 64 << 10 // one MT message (SWIFT's own limit is 10,000 characters of block 4)
	maxDepth     = 64       // XML nesting
)

// addText appends a free-text field, merging repeated parts of one field
// (ISO Ustrd repeats) and bounding the size.
func (m *Message) addText(field, text string, line int) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	if n := len(m.Texts); n > 0 && m.Texts[n-1].Field == field {
		m.Texts[n-1].Text = clip(m.Texts[n-1].Text+" "+text, maxTextBytes)
		return
	}
	if len(m.Texts) >= maxTexts {
		m.note("more than %d free-text fields: the rest were not read", maxTexts)
		return
	}
	m.Texts = append(m.Texts, FreeText{Field: field, Text: clip(text, maxTextBytes), Line: line})
}

// addParty appends a party unless nothing screenable was read.
func (m *Message) addParty(p Party) {
	if p.empty() {
		return
	}
	if len(m.Parties) >= maxParties {
		m.note("more than %d parties: the rest were not read", maxParties)
		return
	}
	m.Parties = append(m.Parties, p)
}

// note records something read loosely or left out, once.
func (m *Message) note(format string, args ...any) {
	s := format
	if len(args) > 0 {
		s = fmt.Sprintf(format, args...)
	}
	for _, n := range m.Notes {
		if n == s {
			return
		}
	}
	m.Notes = append(m.Notes, s)
}

// normBIC upper-cases a BIC and drops the "XXX" of a head office, so that
// "cobadeffxxx" and "COBADEFF" are one.
func normBIC(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) == 11 && strings.HasSuffix(s, "XXX") {
		s = s[:8]
	}
	return s
}
