package lexscreen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Subject is one customer or counterparty in an operator's book: screened
// when it is added or changed, and again whenever a list changes.
type Subject struct {
	ID string `json:"id"` // the operator's reference, unique in the book
	// Query holds the screening fields (Query.ID is ignored: ID names the subject).
	Query Query `json:"query"`
	// Operator names the operator profile the subject is screened for
	// ("" : the book's default).
	Operator string `json:"operator,omitempty"`
	// Fingerprint is SubjectFingerprint(Query): it changes when, and only
	// when, a screening field changes.
	Fingerprint string `json:"fingerprint"`
}

// SubjectFingerprint is a hash of the fields a screening reads (name,
// type, date of birth, countries, identifiers, name parts), independent of
// the order of countries and identifiers and of surrounding spaces. A
// decision on a (subject, listed entity) pair stays valid while it is
// unchanged.
func SubjectFingerprint(q Query) string {
	c := Query{
		Name:        strings.Join(strings.Fields(q.Name), " "),
		Schema:      q.Schema,
		BirthDate:   strings.TrimSpace(q.BirthDate),
		Countries:   sortedTrimmed(q.Countries),
		Identifiers: sortedTrimmed(q.Identifiers),
		Parts:       q.Parts,
	}
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

func sortedTrimmed(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// EntityFingerprint is a hash of what a listed entity says (names,
// dates, countries, identifiers, designations ...): it changes when the
// listing changes, whatever list version carries it. An approved false
// positive suppresses a pair only while both fingerprints are unchanged.
func EntityFingerprint(e *Entity) string {
	c := *e
	c.ID = ""
	b, _ := json.Marshal(&c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}
