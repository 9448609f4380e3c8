// Package regime turns a list match into what the law requires of one
// operator on one date: block and report, freeze, do not comply and notify,
// arrest and surrender, a risk only, or no legal effect at all.
//
// The law is data, not code paths: the rules (each with its citation, source
// and confidence), the dated facts (designation dates and status histories,
// Rome Statute membership intervals, Blocking Statute Annex entries, ICC
// situations) live in embedded YAML files under data/, and what-if overlays
// change that data, never the code. The code only knows how to apply the
// kinds of rules the data names.
package regime

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/lexscreen/lexscreen"
)

//go:embed data/*.yaml
var dataFS embed.FS

// Confidence levels, strongest first, as tagged in the research notes.
const (
	ConfVerified  = "V"     // checked against a primary source
	ConfSecondary = "V-2nd" // checked against a secondary source only
	ConfDerived   = "D"     // computed or derived from a source
	ConfMemory    = "M"     // from memory only: unconfirmed
)

var confRank = map[string]int{ConfVerified: 4, ConfSecondary: 3, ConfDerived: 2, ConfMemory: 1}

// Rule is one legal rule: what it requires, where it comes from and how sure
// the project is of it.
type Rule struct {
	ID         string `yaml:"id" json:"id"`
	Authority  string `yaml:"authority" json:"authority"`
	Title      string `yaml:"title" json:"title"`
	Citation   string `yaml:"citation" json:"citation"`
	Source     string `yaml:"source" json:"source"`
	Confidence string `yaml:"confidence" json:"confidence"`
	Deadline   string `yaml:"deadline,omitempty" json:"deadline,omitempty"`
	Text       string `yaml:"text" json:"text"`
	// DatedText are sentences true only from their date (a filing system, a
	// precedent); the engine adds each only on query dates from then on.
	DatedText []DatedSentence `yaml:"dated_text,omitempty" json:"dated_text,omitempty"`
	// DatedCitation are parts of the legal basis that exist only from their
	// date (a judgment, a later regulation); cited only from then on.
	DatedCitation []DatedSentence `yaml:"dated_citation,omitempty" json:"dated_citation,omitempty"`
	// RuleConfidence is computed when the engine loads: the weakest of the
	// rule's own text and the data facts results under it can use.
	RuleConfidence `yaml:"-"`
}

// DatedSentence is a sentence of a rule's text that holds from a date.
type DatedSentence struct {
	From day    `yaml:"from" json:"from"`
	Text string `yaml:"text" json:"text"`
}

// Unconfirmed reports whether the rule rests on memory only ([M]).
func (r Rule) Unconfirmed() bool { return r.Confidence == ConfMemory }

// day is a calendar day in the data files; it reports the YAML line of a bad value.
type day struct{ t time.Time }

func (d *day) UnmarshalYAML(n *yaml.Node) error {
	t, err := parseDay(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	d.t = t
	return nil
}

func (d day) IsZero() bool { return d.t.IsZero() }

// parseDay reads a full ISO date YYYY-MM-DD.
func parseDay(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// conf is a confidence tag; it must be one of V, V-2nd, D, M.
type conf string

func (c *conf) UnmarshalYAML(n *yaml.Node) error {
	if _, ok := confRank[n.Value]; !ok {
		return fmt.Errorf("line %d: invalid confidence %q: want V, V-2nd, D or M", n.Line, n.Value)
	}
	*c = conf(n.Value)
	return nil
}

type duty struct {
	Kind lexscreen.ObligationKind `yaml:"kind"`
	Rule string                   `yaml:"rule"`
	// When limits the duty to some operators: "" (all bound operators) or
	// "processes_payments" (operators whose profile says they process payments).
	When string `yaml:"when"`
}

// travelBan says which borders a regime's "travel ban" measure closes: "us",
// "eu" (a Member State's border), "uk", or "any" (every State: UN measures).
type travelBan struct {
	Borders string `yaml:"borders"`
	Rule    string `yaml:"rule"`
}

type implementation struct {
	Jurisdiction string `yaml:"jurisdiction"`
	Rule         string `yaml:"rule"`
	Duties       []duty `yaml:"duties"`
}

type sanctionsRegime struct {
	ID            string           `yaml:"id"`
	Authorities   []string         `yaml:"authorities"`
	Sources       []string         `yaml:"sources"`
	Jurisdiction  string           `yaml:"jurisdiction"`
	Duties        []duty           `yaml:"duties"`
	RiskRule      string           `yaml:"risk_rule"`
	ImplementedBy []implementation `yaml:"implemented_by"`
	TravelBan     *travelBan       `yaml:"travel_ban"` // admission restrictions, for listings whose measures include "travel ban"
	// Lists are FtM dataset names (Designation.List) whose designations the
	// regime covers whatever the entity's source (an OpenSanctions export).
	Lists []string `yaml:"lists"`
	// Ownership is the regime's rule on entities owned or controlled by
	// its listed persons (ownership.go); nil: none.
	Ownership *ownershipRule `yaml:"ownership"`
}

// Duties0 is the rule a duty under the regime would rest on (its first duty,
// else its first implementation, else its risk rule): the basis cited when
// the regime asks nothing of an operator.
func (r *sanctionsRegime) Duties0() string {
	switch {
	case len(r.Duties) > 0:
		return r.Duties[0].Rule
	case len(r.ImplementedBy) > 0:
		return r.ImplementedBy[0].Rule
	}
	return r.RiskRule
}

type usProgram struct {
	ID              string   `yaml:"id"`
	Title           string   `yaml:"title"`
	From            day      `yaml:"from"`
	Terminated      day      `yaml:"terminated"`
	TerminationRule string   `yaml:"termination_rule"`
	Reach           []string `yaml:"reach"`
	ReachRule       string   `yaml:"reach_rule"`
	EntryRule       string   `yaml:"entry_rule"` // the program itself suspends entry into the US of designees (EO 14203 s.4)
	Confidence      conf     `yaml:"confidence"`
	// Aliases are the OFAC program tags whose listings this program's facts
	// (reach, authority, Annex entry) apply to (IFSR for IRAN).
	Aliases []string `yaml:"aliases"`
	// Authority is the program's own legal basis ("EO 13224; 31 CFR part
	// 594"), cited by the duties and risks a listing under it gives rise to.
	Authority           string `yaml:"authority"`
	AuthorityConfidence conf   `yaml:"authority_confidence"`
	// Secondary names a mandatory secondary-sanctions regime for foreign
	// financial institutions (IFCA, CISADA, EO 14114); SecondaryRule cites it.
	Secondary     string `yaml:"secondary"`
	SecondaryRule string `yaml:"secondary_rule"`
	// DatedAuthority are parts of the authority in force only from a date
	// (31 CFR part 528 from 2025-07-01), cited only from then on.
	DatedAuthority []DatedSentence `yaml:"dated_authority"`
}

type statusEntry struct {
	Date       day    `yaml:"date"`
	Status     string `yaml:"status"`
	State      string `yaml:"state"` // for a warrant: the State that arrested or released the person
	Confidence conf   `yaml:"confidence"`
	Note       string `yaml:"note"`
	// DateUnknown: the event's exact date was not captured; Date is the
	// earliest it can be. On later dates the status is reported at [D].
	DateUnknown bool `yaml:"date_unknown"`
}

// litigation is a court challenge to a designation: since when it is known,
// and what it is.
type litigation struct {
	Since      day    `yaml:"since"`
	Text       string `yaml:"text"`
	Confidence conf   `yaml:"confidence"`
}

type usDesignation struct {
	EntNum          int           `yaml:"ent_num"`
	EntityID        string        `yaml:"entity_id"`
	Name            string        `yaml:"name"`
	Program         string        `yaml:"program"`
	Designated      day           `yaml:"designated"`
	Basis           string        `yaml:"basis"`
	Confidence      conf          `yaml:"confidence"`
	GeneralLicences []string      `yaml:"general_licences"`
	History         []statusEntry `yaml:"history"`
	Note            string        `yaml:"note"`
	Litigation      *litigation   `yaml:"litigation"`
}

// key is the entity id the designation applies to ("" when only a name is known).
func (d usDesignation) key() string {
	if d.EntityID != "" {
		return d.EntityID
	}
	if d.EntNum != 0 {
		return fmt.Sprintf("us-ofac-sdn:%d", d.EntNum)
	}
	return ""
}

type generalLicence struct {
	ID         string `yaml:"id"`
	Program    string `yaml:"program"`
	Scope      string `yaml:"scope"`
	From       day    `yaml:"from"`
	Until      day    `yaml:"until"` // zero: end date unknown (never "indefinite")
	Confidence conf   `yaml:"confidence"`
	// CoverageConfidence tags which designees the licence covers when that
	// is an inference ([D]); CoverageNote says how it was inferred.
	CoverageConfidence conf   `yaml:"coverage_confidence"`
	CoverageNote       string `yaml:"coverage_note"`
}

type annexEntry struct {
	Program       string `yaml:"program"`
	Law           string `yaml:"law"`
	EffectiveFrom day    `yaml:"effective_from"`
	EffectiveTo   day    `yaml:"effective_to"`
	Confidence    conf   `yaml:"confidence"`
	Note          string `yaml:"note"`
}

type blockingStatute struct {
	ID                string       `yaml:"id"`
	Title             string       `yaml:"title"`
	Authority         string       `yaml:"authority"`
	Covers            string       `yaml:"covers"`
	DoNotComplyRule   string       `yaml:"do_not_comply_rule"`
	NotifyRule        string       `yaml:"notify_rule"`
	AuthorisationRule string       `yaml:"authorisation_rule"`
	CoversRule        string       `yaml:"covers_rule"` // who the statute covers (art. 11): its confidence bounds the duties
	Annex             []annexEntry `yaml:"annex"`
}

type referral struct {
	Resolution string   `yaml:"resolution"`
	Binds      []string `yaml:"binds"`
}

type situation struct {
	Code                 string    `yaml:"code"`
	Name                 string    `yaml:"name"`
	ProceedingsCommenced day       `yaml:"proceedings_commenced"`
	Confidence           conf      `yaml:"confidence"`
	UNSCReferral         *referral `yaml:"unsc_referral"`
	Note                 string    `yaml:"note"`
	// DatedNotes are later events in the situation, cited only from their date.
	DatedNotes []DatedSentence `yaml:"dated_notes"`
}

type hostileListing struct {
	Authority  string   `yaml:"authority"`
	Programs   []string `yaml:"programs"`
	Rule       string   `yaml:"rule"`
	Confidence conf     `yaml:"confidence"`
}

type stateParty struct {
	ISO2                string `yaml:"iso2"`
	Country             string `yaml:"country"`
	Ratified            day    `yaml:"ratified"`
	EntryIntoForce      day    `yaml:"entry_into_force"`
	WithdrawalNotified  day    `yaml:"withdrawal_notified"`
	WithdrawalEffective day    `yaml:"withdrawal_effective"`
	WithdrawalRepealed  day    `yaml:"withdrawal_repealed"`
	Confidence          conf   `yaml:"confidence"`
	Note                string `yaml:"note"`
	// EIFConfidence is the confidence of the entry-into-force date: empty
	// means [D], computed per art. 126(2); EIFSource names the source that
	// states the date where one does.
	EIFConfidence conf   `yaml:"entry_into_force_confidence"`
	EIFSource     string `yaml:"entry_into_force_source"`
}

// declaration is an art. 12(3) declaration: a State's acceptance of the
// Court's jurisdiction, lodged on a date, over the situations named.
type declaration struct {
	ISO2       string   `yaml:"iso2"`
	Lodged     day      `yaml:"lodged"`
	Situations []string `yaml:"situations"`
	CrimesFrom day      `yaml:"crimes_from"`
	CrimesTo   day      `yaml:"crimes_to"`
	Confidence conf     `yaml:"confidence"`
	Note       string   `yaml:"note"`
	// DatedNotes are later events, cited only from their date.
	DatedNotes []DatedSentence `yaml:"dated_notes"`
}

// dataFile is the shape of every embedded data file (each fills some fields).
type dataFile struct {
	Rules             []Rule            `yaml:"rules"`
	SanctionsRegimes  []sanctionsRegime `yaml:"sanctions_regimes"`
	EUMemberStates    []string          `yaml:"eu_member_states"`
	USPrograms        []usProgram       `yaml:"us_programs"`
	USDesignations    []usDesignation   `yaml:"us_designations"`
	USGeneralLicences []generalLicence  `yaml:"us_general_licences"`
	BlockingStatutes  []blockingStatute `yaml:"blocking_statutes"`
	Situations        []situation       `yaml:"situations"`
	HostileListings   []hostileListing  `yaml:"hostile_listings"`
	StatesParties     []stateParty      `yaml:"states_parties"`
	Declarations      []declaration     `yaml:"declarations"`
}

// Overlay is a what-if file: it adds to or overrides the embedded data.
//
//	blocking_statutes:
//	  - id: EU-2271-96
//	    annex_add: [{program: ICC-EO14203, effective_from: 2027-01-01}]
//	    annex_remove: [{program: IRAN, effective_from: 2030-01-01}]
//	designations:        # add or override US designation dates and status history
//	  - {entity_id: "us-ofac-sdn:52965", designated: 2025-03-01}
//	  - {ent_num: 54707, history: [{date: 2026-07-01, status: relisted}]}
//	states_parties:      # membership changes, by ISO code
//	  - {iso2: HU, withdrawal_effective: 2026-06-02}
//	declarations:        # art. 12(3) declarations to add
//	  - {iso2: XX, lodged: 2027-01-01, situations: [ICC-01/22]}
//	warrants:            # warrant status changes, by entity id
//	  - {entity_id: "icc-warrants:putin-vladimir-vladimirovich", history: [{date: 2027-01-01, status: in_icc_custody}]}
//	situations:
//	  - {code: ICC-01/22, proceedings_commenced: 2022-03-02}
type overlayFile struct {
	BlockingStatutes []overlayStatute  `yaml:"blocking_statutes"`
	Designations     []usDesignation   `yaml:"designations"`
	StatesParties    []stateParty      `yaml:"states_parties"`
	Warrants         []warrantOverride `yaml:"warrants"`
	Declarations     []declaration     `yaml:"declarations"`
	Situations       []situation       `yaml:"situations"`
}

type overlayStatute struct {
	ID          string       `yaml:"id"`
	AnnexAdd    []annexEntry `yaml:"annex_add"`
	AnnexRemove []annexEntry `yaml:"annex_remove"`
}

type warrantOverride struct {
	EntityID string        `yaml:"entity_id"`
	History  []statusEntry `yaml:"history"`
}

// decodeStrict decodes one YAML document, refusing unknown fields.
func decodeStrict(name string, b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // empty document
		}
		return &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Message: cleanYAMLError(err), Err: err}
	}
	return nil
}

func cleanYAMLError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.ReplaceAll(s, "unmarshal errors:\n  ", "")
	s = strings.ReplaceAll(s, "\n  ", "; ")
	s = strings.ReplaceAll(s, " in type regime.overlayFile", "")
	s = strings.ReplaceAll(s, " in type regime.", " in ")
	return s
}

func invalidf(file, format string, args ...any) error {
	return &lexscreen.Error{Code: lexscreen.EINVALID, File: file, Message: fmt.Sprintf(format, args...)}
}

// ListingAttributes are the entity attributes Evaluate reads (warrant status
// and history, situation, hostile-listing flags). Screening keeps these for
// every indexed entity so that a Listing can be filled from a match.
var ListingAttributes = []string{"hostile_listing", "listing_state", "conviction_date", "warrant_status",
	"warrant_status_history", "situation_code", "warrant_date_confidence"}

// MarshalJSON writes the sentence with its date as YYYY-MM-DD.
func (d DatedSentence) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		From string `json:"from"`
		Text string `json:"text"`
	}{d.From.t.Format("2006-01-02"), d.Text})
}
