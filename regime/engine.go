package regime

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Engine applies the legal data to matches. It is immutable once built, so
// one Engine may serve any number of goroutines.
type Engine struct {
	rules      map[string]Rule
	ruleOrder  []string
	regimes    []sanctionsRegime
	eu         map[string]bool
	programs   map[string]usProgram
	desigByID  map[string]*usDesignation
	desigNamed []*usDesignation // known by name only
	licences   map[string]generalLicence
	statutes   []blockingStatute
	situations map[string]situation
	hostile    []hostileListing
	parties    map[string]stateParty
	warrants   map[string][]statusEntry // overlay warrant history by entity id
	declared   map[string][]declaration // art. 12(3) declarations by State
	overlays   int
	facts      factsHash // of the data files and overlays applied (FactsHash)
}

// Date range the engine answers for.
var (
	MinDate = time.Date(1998, 7, 17, 0, 0, 0, 0, time.UTC) // adoption of the Rome Statute
	MaxDate = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

var validStatus = map[string]bool{"listed": true, "relisted": true, "enjoined": true, "delisted": true}

// validWarrantStatus are the statuses a warrant overlay may give. A bare
// "in_custody" is refused: it does not say whether the Court or a State holds
// the person, and only the Court's custody ends the duty to surrender.
var validWarrantStatus = map[string]bool{"at_large": true, "arrested_by_state": true, "in_icc_custody": true,
	"released": true, "convicted": true, "acquitted": true, "withdrawn": true, "deceased": true, "unclear": true}

// Load builds an Engine from the embedded data plus what-if overlays (YAML,
// validated strictly: unknown fields, bad dates, unknown statutes or programs
// are errors naming the line).
func Load(overlays ...[]byte) (*Engine, error) {
	var all dataFile
	var facts factsHash
	files, err := fs.Glob(dataFS, "data/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := dataFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var df dataFile
		facts.add(f, b)
		if err := decodeStrict(f, b, &df); err != nil {
			return nil, err
		}
		all.Rules = append(all.Rules, df.Rules...)
		all.SanctionsRegimes = append(all.SanctionsRegimes, df.SanctionsRegimes...)
		all.EUMemberStates = append(all.EUMemberStates, df.EUMemberStates...)
		all.USPrograms = append(all.USPrograms, df.USPrograms...)
		all.USDesignations = append(all.USDesignations, df.USDesignations...)
		all.USGeneralLicences = append(all.USGeneralLicences, df.USGeneralLicences...)
		all.BlockingStatutes = append(all.BlockingStatutes, df.BlockingStatutes...)
		all.Situations = append(all.Situations, df.Situations...)
		all.HostileListings = append(all.HostileListings, df.HostileListings...)
		all.StatesParties = append(all.StatesParties, df.StatesParties...)
		all.Declarations = append(all.Declarations, df.Declarations...)
	}
	e := &Engine{rules: map[string]Rule{}, eu: map[string]bool{}, programs: map[string]usProgram{},
		desigByID: map[string]*usDesignation{}, licences: map[string]generalLicence{},
		situations: map[string]situation{}, parties: map[string]stateParty{}, warrants: map[string][]statusEntry{},
		declared: map[string][]declaration{}, facts: facts}
	for _, r := range all.Rules {
		if r.ID == "" || r.Citation == "" || r.Source == "" || r.Text == "" {
			return nil, invalidf("data/rules.yaml", "rule %q: id, citation, source and text are required", r.ID)
		}
		if _, ok := confRank[r.Confidence]; !ok {
			return nil, invalidf("data/rules.yaml", "rule %q: invalid confidence %q", r.ID, r.Confidence)
		}
		if _, dup := e.rules[r.ID]; dup {
			return nil, invalidf("data/rules.yaml", "rule %q defined twice", r.ID)
		}
		e.rules[r.ID] = r
		e.ruleOrder = append(e.ruleOrder, r.ID)
	}
	e.regimes = all.SanctionsRegimes
	for _, c := range all.EUMemberStates {
		e.eu[c] = true
	}
	for _, p := range all.USPrograms {
		for _, id := range append([]string{p.ID}, p.Aliases...) {
			if _, dup := e.programs[id]; dup {
				return nil, invalidf("data/facts.yaml", "US program %q defined twice", id)
			}
			e.programs[id] = p
		}
		for _, r := range []string{p.ReachRule, p.SecondaryRule, p.EntryRule, p.TerminationRule} {
			if _, ok := e.rules[r]; r != "" && !ok {
				return nil, invalidf("data/facts.yaml", "US program %q: unknown rule %q", p.ID, r)
			}
		}
	}
	for i := range all.USDesignations {
		e.addDesignation(&all.USDesignations[i])
	}
	for _, g := range all.USGeneralLicences {
		e.licences[g.ID] = g
	}
	e.statutes = all.BlockingStatutes
	for _, s := range all.Situations {
		e.situations[s.Code] = s
	}
	e.hostile = all.HostileListings
	for _, p := range all.StatesParties {
		e.parties[p.ISO2] = p
	}
	for _, dc := range all.Declarations {
		if err := e.addDeclaration("data/states_parties.yaml", dc); err != nil {
			return nil, err
		}
	}
	for i, ov := range overlays {
		if err := e.apply(fmt.Sprintf("overlay %d", i+1), ov); err != nil {
			return nil, err
		}
	}
	if err := e.check(); err != nil {
		return nil, err
	}
	e.computeRuleConfidence()
	return e, nil
}

// LoadNamed is Load with overlay file names used in error messages.
func LoadNamed(names []string, overlays [][]byte) (*Engine, error) {
	e, err := Load()
	if err != nil {
		return nil, err
	}
	for i, ov := range overlays {
		name := fmt.Sprintf("overlay %d", i+1)
		if i < len(names) && names[i] != "" {
			name = names[i]
		}
		if err := e.apply(name, ov); err != nil {
			return nil, err
		}
	}
	if err := e.check(); err != nil {
		return nil, err
	}
	e.computeRuleConfidence()
	return e, nil
}

func (e *Engine) addDesignation(d *usDesignation) {
	if k := d.key(); k != "" {
		e.desigByID[k] = d
	} else {
		e.desigNamed = append(e.desigNamed, d)
	}
}

var reEntityID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,40}:\S+$`)
var reISO2 = regexp.MustCompile(`^[A-Z]{2}$`)

func (e *Engine) statuteIDs() []string {
	var ids []string
	for _, s := range e.statutes {
		ids = append(ids, s.ID)
	}
	return ids
}

// check validates cross-references: every rule a fact names exists, every
// duty kind is known, every date and code makes sense.
func (e *Engine) check() error {
	need := func(where, id string) error {
		if id == "" {
			return nil
		}
		if _, ok := e.rules[id]; !ok {
			return invalidf("regime data", "%s names unknown rule %q", where, id)
		}
		return nil
	}
	jur := map[string]bool{"us": true, "eu": true, "uk": true, "ca": true, "": true}
	for _, r := range e.regimes {
		if !jur[r.Jurisdiction] {
			return invalidf("regime data", "regime %s: unknown jurisdiction %q", r.ID, r.Jurisdiction)
		}
		for _, d := range r.Duties {
			if !d.Kind.Valid() {
				return invalidf("regime data", "regime %s: unknown obligation kind %q", r.ID, d.Kind)
			}
			if err := need("regime "+r.ID, d.Rule); err != nil {
				return err
			}
			if d.When != "" && d.When != "processes_payments" {
				return invalidf("regime data", "regime %s: duty %s: unknown condition when: %q (want processes_payments)", r.ID, d.Kind, d.When)
			}
		}
		if tb := r.TravelBan; tb != nil {
			if err := need("regime "+r.ID, tb.Rule); err != nil {
				return err
			}
			if tb.Borders != "us" && tb.Borders != "eu" && tb.Borders != "uk" && tb.Borders != "any" {
				return invalidf("regime data", "regime %s: travel_ban.borders %q: want us, eu, uk or any", r.ID, tb.Borders)
			}
		}
		if err := need("regime "+r.ID, r.RiskRule); err != nil {
			return err
		}
		for _, im := range r.ImplementedBy {
			if err := need("regime "+r.ID, im.Rule); err != nil {
				return err
			}
			for _, d := range im.Duties {
				if err := need("regime "+r.ID, d.Rule); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range e.programs {
		if err := need("program "+p.ID, p.TerminationRule); err != nil {
			return err
		}
		if err := need("program "+p.ID, p.ReachRule); err != nil {
			return err
		}
		if err := need("program "+p.ID, p.EntryRule); err != nil {
			return err
		}
	}
	if err := e.checkOwnership(); err != nil {
		return err
	}
	for _, s := range e.statutes {
		for _, id := range []string{s.DoNotComplyRule, s.NotifyRule, s.AuthorisationRule, s.CoversRule} {
			if err := need("statute "+s.ID, id); err != nil {
				return err
			}
		}
		if s.Covers != "eu" && s.Covers != "uk" {
			return invalidf("regime data", "statute %s: covers must be eu or uk", s.ID)
		}
	}
	if err := need("conflicts (way out)", specificLicenceRule); err != nil {
		return err
	}
	for _, h := range e.hostile {
		if err := need("hostile listing "+h.Authority, h.Rule); err != nil {
			return err
		}
	}
	for c, p := range e.parties {
		if p.EntryIntoForce.IsZero() {
			return invalidf("regime data", "State Party %s: entry_into_force missing", c)
		}
	}
	for _, d := range e.allDesignations() {
		for _, g := range d.GeneralLicences {
			if _, ok := e.licences[g]; !ok {
				return invalidf("regime data", "designation %s names unknown general licence %q", d.Name, g)
			}
		}
	}
	return nil
}

func (e *Engine) allDesignations() []*usDesignation {
	out := append([]*usDesignation(nil), e.desigNamed...)
	keys := make([]string, 0, len(e.desigByID))
	for k := range e.desigByID {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, e.desigByID[k])
	}
	return out
}

// Rules returns every rule, in the order of the data files.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, 0, len(e.ruleOrder))
	for _, id := range e.ruleOrder {
		out = append(out, e.rules[id])
	}
	return out
}

// Rule returns one rule by id.
func (e *Engine) Rule(id string) (Rule, bool) {
	r, ok := e.rules[id]
	return r, ok
}

// CheckDate returns an error unless t lies in the range the engine answers for.
func CheckDate(t time.Time) error {
	if t.IsZero() {
		return lexscreen.Errorf(lexscreen.EINVALID, "no date given: want YYYY-MM-DD")
	}
	if t.Before(MinDate) || t.After(MaxDate) {
		return lexscreen.Errorf(lexscreen.EINVALID, "date %s out of range: the legal data covers %s to %s",
			t.Format("2006-01-02"), MinDate.Format("2006-01-02"), MaxDate.Format("2006-01-02"))
	}
	return nil
}

// ParseDate reads a YYYY-MM-DD date and checks its range.
func ParseDate(s string) (time.Time, error) {
	t, err := parseDay(s)
	if err != nil {
		return time.Time{}, lexscreen.Errorf(lexscreen.EINVALID, "%v", err)
	}
	return t, CheckDate(t)
}

// addDeclaration records an art. 12(3) declaration, refusing one without a
// State, a lodging date or a situation.
func (e *Engine) addDeclaration(file string, dc declaration) error {
	if !reISO2.MatchString(dc.ISO2) || dc.Lodged.IsZero() || len(dc.Situations) == 0 {
		return invalidf(file, "declarations: iso2 %q: iso2, lodged and situations are required", dc.ISO2)
	}
	e.declared[dc.ISO2] = append(e.declared[dc.ISO2], dc)
	return nil
}

// declarationFor returns the art. 12(3) declaration of state x, lodged on or
// before t, that covers the situation (the latest one), or nil.
func (e *Engine) declarationFor(x, situation string, t time.Time) *declaration {
	var out *declaration
	for i, dc := range e.declared[x] {
		if !dc.Lodged.t.After(t) && slices.Contains(dc.Situations, situation) {
			out = &e.declared[x][i]
		}
	}
	return out
}
