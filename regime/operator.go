package regime

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/countries"
)

// Operator is who must act on a match: its role, where it is incorporated,
// its parent, where it acts and its currency nexus decide which law binds it.
// Country fields hold ISO 3166-1 alpha-2 codes; "EU" stands for some EU
// Member State.
type Operator struct {
	Name          string   `yaml:"name" json:"name"`
	Role          string   `yaml:"role" json:"role"`                                         // bank, firm, ngo, border, authority, person
	Incorporation string   `yaml:"incorporation,omitempty" json:"incorporation,omitempty"`   // where it is organised
	Parent        *Parent  `yaml:"parent,omitempty" json:"parent,omitempty"`                 // its parent, if any
	ActsIn        []string `yaml:"acts_in,omitempty" json:"acts_in,omitempty"`               // where it does business
	CurrencyNexus []string `yaml:"currency_nexus,omitempty" json:"currency_nexus,omitempty"` // e.g. USD (clearing through US banks)
	Nationality   []string `yaml:"nationality,omitempty" json:"nationality,omitempty"`       // for a natural person
	State         string   `yaml:"state,omitempty" json:"state,omitempty"`                   // for border/authority: the state it acts for
	// ProcessesPayments says the operator processes funds transfers, so that a
	// US-bound one must reject (31 CFR 501.604) a transfer it may not process
	// but in which no blocked person has an interest. Unset: true for role
	// bank, false otherwise.
	ProcessesPayments *bool `yaml:"processes_payments,omitempty" json:"processes_payments,omitempty"`
	// InterestsAffected names the US programs whose annexed laws affect the
	// operator's economic or financial interests, directly or indirectly
	// (Reg. 2271/96 art. 2 and the UK's retained version): [all], [none],
	// or program tags ([IRAN, CUBA]). Only then must it inform the
	// Commission (the Secretary of State). Unset: presumed for a screening's
	// match, a party the operator deals with; not presumed for the entries
	// of an exposure report.
	InterestsAffected []string `yaml:"interests_affected,omitempty" json:"interests_affected,omitempty"`
}

// The values of Operator.InterestsAffected besides program tags.
const (
	InterestsAll  = "all"
	InterestsNone = "none"
)

var reProgramTag = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,40}$`)

// processesPayments is ProcessesPayments with its default (banks do).
func (op Operator) processesPayments() bool {
	if op.ProcessesPayments != nil {
		return *op.ProcessesPayments
	}
	return op.Role == "bank"
}

// Parent is an operator's parent company.
type Parent struct {
	Country      string `yaml:"country" json:"country"`
	Jurisdiction string `yaml:"jurisdiction,omitempty" json:"jurisdiction,omitempty"` // US, EU, UK or none; from country when empty
	Relation     string `yaml:"relation,omitempty" json:"relation,omitempty"`         // subsidiary (default) or branch
}

// Roles an operator may have.
var Roles = []string{"bank", "firm", "ngo", "border", "authority", "person"}

// BuiltinProfiles names the built-in operator profiles (plus border:XX).
var BuiltinProfiles = []string{"us-bank", "eu-bank", "eu-subsidiary-of-us-bank", "uk-firm", "border:XX"}

var reProfileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:._-]*$`)

// ParseOperator reads an operator spec: a built-in profile ("us-bank",
// "eu-bank", "eu-subsidiary-of-us-bank", "uk-firm", "border:HU") or the path
// of a YAML profile (a name ending in .yaml or .yml, or containing a '/').
// It reads files: for the command line only, never for a value from a
// network request (ParseBuiltinOperator, LoadProfiles).
func ParseOperator(spec string) (Operator, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Operator{}, lexscreen.Errorf(lexscreen.EINVALID, "no operator given: want one of %s, or a YAML profile file", strings.Join(BuiltinProfiles, ", "))
	}
	if op, ok, err := builtinOperator(spec); ok {
		return op, err
	}
	if strings.HasSuffix(spec, ".yaml") || strings.HasSuffix(spec, ".yml") || strings.ContainsRune(spec, '/') {
		b, err := os.ReadFile(spec)
		if err != nil {
			return Operator{}, &lexscreen.Error{Code: lexscreen.EINVALID, File: spec, Message: "cannot read operator profile: " + err.Error(), Err: err}
		}
		return ParseOperatorYAML(spec, b)
	}
	return Operator{}, lexscreen.Errorf(lexscreen.EINVALID, "unknown operator profile %q: want one of %s (XX an ISO 3166 alpha-2 code), or a YAML profile file (.yaml)", spec, strings.Join(BuiltinProfiles, ", "))
}

// ParseBuiltinOperator reads a built-in profile name ("us-bank", "eu-bank",
// "eu-subsidiary-of-us-bank", "uk-firm", "border:HU"). It never touches the
// file system: anything else is an error.
func ParseBuiltinOperator(spec string) (Operator, error) {
	if op, ok, err := builtinOperator(strings.TrimSpace(spec)); ok {
		return op, err
	}
	return Operator{}, lexscreen.Errorf(lexscreen.EINVALID, "unknown operator profile %q: want one of %s (XX an ISO 3166 alpha-2 code)", spec, strings.Join(BuiltinProfiles, ", "))
}

// IsBuiltinProfile reports whether name is a built-in profile's name or
// border:<anything>.
func IsBuiltinProfile(name string) bool {
	_, ok, _ := builtinOperator(name)
	return ok
}

// builtinOperator reads a built-in profile; ok says spec is one (or is
// border:XX with a bad code: err says so).
func builtinOperator(spec string) (op Operator, ok bool, err error) {
	switch spec {
	case "us-bank":
		return Operator{Name: spec, Role: "bank", Incorporation: "US", ActsIn: []string{"US"}, CurrencyNexus: []string{"USD"}}, true, nil
	case "eu-bank":
		return Operator{Name: spec, Role: "bank", Incorporation: "EU", ActsIn: []string{"EU"}, CurrencyNexus: []string{"EUR"}}, true, nil
	case "eu-subsidiary-of-us-bank":
		return Operator{Name: spec, Role: "bank", Incorporation: "EU", Parent: &Parent{Country: "US", Jurisdiction: "US", Relation: "subsidiary"},
			ActsIn: []string{"EU"}, CurrencyNexus: []string{"EUR", "USD"}}, true, nil
	case "uk-firm":
		return Operator{Name: spec, Role: "firm", Incorporation: "GB", ActsIn: []string{"GB"}, CurrencyNexus: []string{"GBP"}}, true, nil
	}
	if rest, found := strings.CutPrefix(strings.ToLower(spec), "border:"); found {
		cc := strings.ToUpper(rest)
		if err := checkCountry("border", cc); err != nil {
			return Operator{}, true, err
		}
		return Operator{Name: "border:" + cc, Role: "border", State: cc, ActsIn: []string{cc}}, true, nil
	}
	return Operator{}, false, nil
}

// ParseOperatorYAML reads a custom operator profile, strictly:
//
//	name: acme-frankfurt
//	role: bank                 # bank, firm, ngo, border, authority, person
//	incorporation: DE
//	parent: {country: US, relation: subsidiary}
//	acts_in: [DE, FR]
//	currency_nexus: [EUR, USD]
//	processes_payments: true   # default: true for role bank
//	interests_affected: [IRAN] # annexed US laws affecting its interests (Reg. 2271/96 art. 2): all, none or programs
func ParseOperatorYAML(name string, b []byte) (Operator, error) {
	var op Operator
	if err := decodeStrict(name, b, &op); err != nil {
		return Operator{}, err
	}
	if err := op.Validate(); err != nil {
		if e, ok := err.(*lexscreen.Error); ok {
			e.File = name
		}
		return Operator{}, err
	}
	return op, nil
}

func checkCountry(field, cc string) error {
	if cc == "EU" && field != "border" && field != "state" {
		return nil
	}
	if len(cc) != 2 || strings.ToUpper(cc) != cc || countries.Name(cc) == "" {
		return lexscreen.Errorf(lexscreen.EINVALID, "%s: invalid country code %q: want an ISO 3166-1 alpha-2 code such as DE, US, HU", field, cc)
	}
	return nil
}

// Validate checks an operator: known role, valid country codes, the fields
// its role needs.
func (op *Operator) Validate() error {
	if op.Name != "" && !reProfileName.MatchString(op.Name) {
		return lexscreen.Errorf(lexscreen.EINVALID, "name: invalid %q: letters, digits and - . _ : only", op.Name)
	}
	ok := false
	for _, r := range Roles {
		ok = ok || r == op.Role
	}
	if !ok {
		return lexscreen.Errorf(lexscreen.EINVALID, "role: unknown role %q: want one of %s", op.Role, strings.Join(Roles, ", "))
	}
	if op.Role == "border" || op.Role == "authority" {
		if op.State == "" {
			return lexscreen.Errorf(lexscreen.EINVALID, "state: required for role %s (the state the authority acts for)", op.Role)
		}
		if err := checkCountry("state", op.State); err != nil {
			return err
		}
	} else if op.Incorporation == "" && len(op.Nationality) == 0 {
		return lexscreen.Errorf(lexscreen.EINVALID, "incorporation: required for role %s (or nationality for a person)", op.Role)
	}
	if op.Incorporation != "" {
		if err := checkCountry("incorporation", op.Incorporation); err != nil {
			return err
		}
	}
	for _, c := range op.ActsIn {
		if err := checkCountry("acts_in", c); err != nil {
			return err
		}
	}
	for _, c := range op.Nationality {
		if err := checkCountry("nationality", c); err != nil {
			return err
		}
	}
	for _, c := range op.CurrencyNexus {
		if len(c) != 3 || strings.ToUpper(c) != c {
			return lexscreen.Errorf(lexscreen.EINVALID, "currency_nexus: invalid currency %q: want an ISO 4217 code such as USD", c)
		}
	}
	for _, p := range op.InterestsAffected {
		if (p == InterestsAll || p == InterestsNone) && len(op.InterestsAffected) > 1 {
			return lexscreen.Errorf(lexscreen.EINVALID, "interests_affected: %s stands alone: give [all], [none] or program tags such as [IRAN, CUBA]", p)
		}
		if p != InterestsAll && p != InterestsNone && !reProgramTag.MatchString(p) {
			return lexscreen.Errorf(lexscreen.EINVALID, "interests_affected: invalid %q: want all, none, or US program tags such as IRAN, CUBA", p)
		}
	}
	if p := op.Parent; p != nil {
		if err := checkCountry("parent.country", p.Country); err != nil {
			return err
		}
		switch p.Jurisdiction {
		case "":
			p.Jurisdiction = jurisdictionOf(p.Country)
		case "US", "EU", "UK", "none":
		default:
			return lexscreen.Errorf(lexscreen.EINVALID, "parent.jurisdiction: invalid %q: want US, EU, UK or none", p.Jurisdiction)
		}
		switch p.Relation {
		case "":
			p.Relation = "subsidiary"
		case "subsidiary", "branch":
		default:
			return lexscreen.Errorf(lexscreen.EINVALID, "parent.relation: invalid %q: want subsidiary or branch", p.Relation)
		}
	}
	if op.Name == "" {
		op.Name = "custom-" + op.Role
	}
	return nil
}

func jurisdictionOf(cc string) string {
	switch {
	case cc == "US":
		return "US"
	case cc == "GB":
		return "UK"
	case cc == "EU" || euStates[cc]:
		return "EU"
	}
	return "none"
}

// euStates is used only before an Engine exists (profile validation); the
// engine uses its own data.
var euStates = map[string]bool{"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true,
	"EE": true, "FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true,
	"LT": true, "LU": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true, "SI": true,
	"ES": true, "SE": true}

// String is the operator's name.
func (op Operator) String() string { return op.Name }

func (op Operator) describe() string {
	switch op.Role {
	case "border", "authority":
		return fmt.Sprintf("the %s authority of %s", op.Role, countryName(op.State))
	}
	s := fmt.Sprintf("a %s incorporated in %s", op.Role, countryName(op.Incorporation))
	if op.Parent != nil {
		s += fmt.Sprintf(", %s of a %s parent", op.Parent.Relation, countryName(op.Parent.Country))
	}
	return s
}

func countryName(cc string) string {
	if cc == "EU" {
		return "an EU Member State"
	}
	if n := countries.Name(cc); n != "" {
		return n
	}
	return cc
}
