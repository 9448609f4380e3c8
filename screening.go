package lexscreen

// Query is what a user screens: a name and whatever else is known about the
// person, organisation, vessel or aircraft.
type Query struct {
	ID          string   `json:"id,omitempty"`      // caller's reference (batch row id)
	Name        string   `json:"name"`              // full name in reading order, any script
	Schema      Schema   `json:"type,omitempty"`    // empty: any
	BirthDate   string   `json:"dob,omitempty"`     // ISO partial date: "1960", "1960-08", "1960-08-31"
	Countries   []string `json:"country,omitempty"` // nationality, citizenship or country: names or ISO codes
	Identifiers []string `json:"identifiers,omitempty"`
	// Parts, when the caller knows them, tag parts of Name (given, family ...).
	Parts []NamePart `json:"parts,omitempty"`
}

// EntityRef is the short form of a listed entity in a match.
type EntityRef struct {
	ID     string   `json:"id"`
	Source string   `json:"source"`
	Schema Schema   `json:"schema"`
	Name   string   `json:"name"`  // caption
	Names  []string `json:"names"` // every name, caption first
}

// Match is one listed entity a query matched, with the reasons.
type Match struct {
	Entity       EntityRef     `json:"entity"`
	Score        float64       `json:"score"` // calibrated 0..1; a match is at or above the threshold
	Explanation  Explanation   `json:"explanation"`
	Designations []Designation `json:"designations"`
	Obligations  []Obligation  `json:"obligations"`
}

// Explanation says why an entity matched: which listed name, how each query
// token aligned with a listed token, and what each piece of secondary
// evidence did to the score.
type Explanation struct {
	MatchedName string           `json:"matched_name"` // the listed name that scored best
	NameKind    NameKind         `json:"name_kind"`
	NameScore   float64          `json:"name_score"` // 0..1, before evidence
	Tokens      []TokenAlignment `json:"tokens"`
	Evidence    []Evidence       `json:"evidence,omitempty"`
	// Rules are the matcher's scoring rules that fired, in the order
	// they applied.
	Rules   []RuleHit `json:"rules,omitempty"`
	Summary string    `json:"summary"` // one readable sentence
}

// RuleHit is one scoring rule of the matcher that fired for a match: its
// name, the words it fired on and what it did.
type RuleHit struct {
	Rule   string `json:"rule"`             // "extra.middle_name"; docs/ARCHITECTURE.md lists them
	Query  string `json:"query,omitempty"`  // the normalised query word(s)
	Listed string `json:"listed,omitempty"` // the normalised listed word(s)
	Effect string `json:"effect"`           // "penalty 0.35", "similarity 0.9", "score x0.9"
}

// TokenAlignment pairs one query token with the listed token it matched.
type TokenAlignment struct {
	Query      string  `json:"query"`      // normalised query token ("" when a listed token had no partner)
	Listed     string  `json:"listed"`     // normalised listed token ("" when unmatched)
	How        string  `json:"how"`        // "exact", "phonetic", "fuzzy", "initial", "joined", "translit", "missing", "extra"
	Similarity float64 `json:"similarity"` // 0..1
	Weight     float64 `json:"weight"`     // rarity weight of the token
}

// Evidence is one fact besides the name that raised or lowered a score.
type Evidence struct {
	Kind   string  `json:"kind"`   // "dob", "country", "identifier", "schema", "weak_alias"
	Effect float64 `json:"effect"` // added to the score (negative lowers it)
	Detail string  `json:"detail"` // "query 1970 agrees with listed 1970-03-30"
}

// Obligation is what the law requires of an operator because of a match
// (filled in by the legal regimes; empty until they apply).
type Obligation struct {
	Kind        ObligationKind `json:"kind"` // BLOCK, REJECT, FREEZE, REPORT, DO_NOT_COMPLY, NOTIFY, ARREST_AND_SURRENDER, DENY_ENTRY, RISK, NO_LEGAL_EFFECT
	Authority   string         `json:"authority"`
	Basis       string         `json:"basis"`
	Deadline    string         `json:"deadline,omitempty"`
	Explanation string         `json:"explanation"`
	Source      string         `json:"source"`
	Confidence  string         `json:"confidence"` // V, V-2nd, D, M
	// ConfidenceLimitedBy names the facts the confidence comes from: those,
	// among all the facts the obligation used (rule text, designation date,
	// warrant date, State Party date, overlay ...), at the weakest level.
	ConfidenceLimitedBy string `json:"confidence_limited_by,omitempty"`
	// Flags are structured warnings about the obligation (e.g.
	// LITIGATION_PENDING: a court challenge to the designation).
	Flags []ObligationFlag `json:"flags,omitempty"`
}

// ObligationFlag is a structured warning attached to an obligation.
type ObligationFlag struct {
	Code       string `json:"code"`  // LITIGATION_PENDING
	Since      string `json:"since"` // YYYY-MM-DD
	Text       string `json:"text"`
	Confidence string `json:"confidence,omitempty"`
}

// ListVersion names the version of a list a result used.
type ListVersion struct {
	Source    string `json:"source"`
	Version   string `json:"version"`
	Published string `json:"published"`
	AgeDays   int    `json:"age_days"`
	// Snapshot is the id of the store snapshot the list came from (0: not
	// from a store).
	Snapshot int64 `json:"snapshot,omitempty"`
}

// Engine identifies the matcher that produced a result.
type Engine struct {
	Version   string  `json:"version"`
	Threshold float64 `json:"threshold"`
}

// Result is the answer to one screening.
type Result struct {
	Query     Query         `json:"query"`
	Operator  string        `json:"operator,omitempty"`
	Date      string        `json:"date,omitempty"`
	Matches   []Match       `json:"matches"`
	Conflicts []Conflict    `json:"conflicts"`
	Lists     []ListVersion `json:"lists"`
	Engine    Engine        `json:"engine"`
	// Warnings say what lexscreen could not use or had to read loosely:
	// an unreadable date of birth dropped as evidence, a stale list.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Warning is something a result could not use as given, or a doubt about
// it; the screening went on without it.
type Warning struct {
	Field   string `json:"field"`   // "dob", "lists" ...
	Value   string `json:"value"`   // the value as given
	Message string `json:"message"` // what was done with it
}
