package lexscreen

// Schema is the kind of thing a list entry designates.
type Schema string

// The schemas lexscreen knows. Unknown is used only when a list gives no type
// and none can be inferred.
const (
	SchemaPerson       Schema = "person"
	SchemaOrganization Schema = "organization"
	SchemaVessel       Schema = "vessel"
	SchemaAircraft     Schema = "aircraft"
	SchemaUnknown      Schema = "unknown"
)

// ParseSchema maps the many spellings lists use ("Individual", "Entity",
// "Ship", "enterprise", "P", "LegalEntity", ...) to a Schema.
func ParseSchema(s string) Schema {
	switch normalizeWord(s) {
	case "person", "individual", "individuals", "p", "i", "people", "natural person":
		return SchemaPerson
	case "organization", "organisation", "entity", "entities", "enterprise", "e", "company",
		"legalentity", "legal entity", "public body", "publicbody":
		return SchemaOrganization
	case "vessel", "ship", "ships", "boat", "v":
		return SchemaVessel
	case "aircraft", "airplane", "plane", "a":
		return SchemaAircraft
	}
	return SchemaUnknown
}

// Entity is one designated person, organisation, vessel or aircraft as one
// list publishes it. Its ID is stable across versions of that list because it
// is built from the publisher's own key: "us-ofac-sdn:52965".
type Entity struct {
	ID     string `json:"id"`     // "<source>:<publisher key>"
	Source string `json:"source"` // source id, e.g. "us-ofac-sdn"
	Schema Schema `json:"schema"`

	Names []Name `json:"names"` // the first primary name is the entity's caption

	Gender        string      `json:"gender,omitempty"` // "male", "female" or as given
	BirthDates    []DateValue `json:"birth_dates,omitempty"`
	BirthPlaces   []Place     `json:"birth_places,omitempty"`
	DeathDates    []DateValue `json:"death_dates,omitempty"`
	Nationalities []Country   `json:"nationalities,omitempty"`
	Citizenships  []Country   `json:"citizenships,omitempty"`
	Countries     []Country   `json:"countries,omitempty"` // other country links (jurisdiction, flag, residence)
	Titles        []string    `json:"titles,omitempty"`    // "Dr.", "Judge", "Secretary General of ..."
	Positions     []string    `json:"positions,omitempty"`

	Identifiers []Identifier `json:"identifiers,omitempty"`
	Addresses   []Address    `json:"addresses,omitempty"`
	Contacts    []Contact    `json:"contacts,omitempty"` // e-mail, phone, website

	Designations []Designation `json:"designations,omitempty"`
	Links        []Link        `json:"links,omitempty"`

	// Attributes holds typed facts that have no field of their own, keyed
	// by a stable lower-case name: "vessel_type", "tonnage", "call_sign",
	// "flag", "owner", "build_year", "aircraft_model", "crypto_xbt" ...
	Attributes map[string][]string `json:"attributes,omitempty"`

	Remarks string `json:"remarks,omitempty"` // the publisher's free text, kept whole
}

// Caption is the entity's display name: its first primary name, else its
// first name of any kind.
func (e *Entity) Caption() string {
	for _, n := range e.Names {
		if n.Kind == NamePrimary {
			return n.Full
		}
	}
	if len(e.Names) > 0 {
		return e.Names[0].Full
	}
	return ""
}

// AddAttribute appends a value to a named attribute, skipping empty values
// and exact duplicates.
func (e *Entity) AddAttribute(key, value string) {
	if value == "" {
		return
	}
	if e.Attributes == nil {
		e.Attributes = map[string][]string{}
	}
	for _, v := range e.Attributes[key] {
		if v == value {
			return
		}
	}
	e.Attributes[key] = append(e.Attributes[key], value)
}

// AddName appends a name unless the same text of the same kind is already
// there. Empty names are ignored.
func (e *Entity) AddName(n Name) {
	if n.Full == "" {
		return
	}
	for _, o := range e.Names {
		if o.Full == n.Full && o.Kind == n.Kind {
			return
		}
	}
	e.Names = append(e.Names, n)
}

// NameKind says how a list presents a name.
type NameKind string

// Name kinds. A weak alias is what OFAC calls "weak", the UN "Low" and the UK
// "Low quality": too broad to screen on alone.
const (
	NamePrimary   NameKind = "primary"
	NameAlias     NameKind = "alias"
	NameWeakAlias NameKind = "weak_alias"
	NameFormer    NameKind = "former" // f.k.a.
)

// Name is one name of an entity, with the parts a list gives.
type Name struct {
	Full   string     `json:"full"`             // as the list writes it, in reading order when known
	Kind   NameKind   `json:"kind"`             // primary, alias, weak_alias, former
	Script string     `json:"script,omitempty"` // ISO 15924 code when not Latin ("Cyrl", "Arab", "Hani")
	Lang   string     `json:"lang,omitempty"`   // language code when the list gives one
	Parts  []NamePart `json:"parts,omitempty"`
}

// NamePartKind tags a piece of a name with the role the list gives it.
type NamePartKind string

// Name part kinds.
const (
	PartGiven      NamePartKind = "given"
	PartMiddle     NamePartKind = "middle"
	PartFamily     NamePartKind = "family"
	PartPatronymic NamePartKind = "patronymic"
	PartMatronymic NamePartKind = "matronymic"
	PartTitle      NamePartKind = "title"
	PartOther      NamePartKind = "other"
)

// NamePart is one tagged piece of a name.
type NamePart struct {
	Kind  NamePartKind `json:"kind"`
	Value string       `json:"value"`
}

// Country is a country as a list names it, with its ISO 3166-1 alpha-2 code
// when that could be determined. Regions that are not countries ("Region:
// Gaza", "Crimea") keep Code empty.
type Country struct {
	Code string `json:"code,omitempty"`
	Name string `json:"name,omitempty"`
}

// Place is a place (of birth, of issue) as free text plus what could be
// separated out.
type Place struct {
	Text    string  `json:"text,omitempty"`
	City    string  `json:"city,omitempty"`
	Region  string  `json:"region,omitempty"`
	Country Country `json:"country,omitzero"`
}

// Address is a postal address.
type Address struct {
	Full       string  `json:"full,omitempty"`
	Street     string  `json:"street,omitempty"`
	City       string  `json:"city,omitempty"`
	Region     string  `json:"region,omitempty"`
	PostalCode string  `json:"postal_code,omitempty"`
	Country    Country `json:"country,omitzero"`
	Note       string  `json:"note,omitempty"`
}

// IdentifierKind classifies identity and registration documents.
type IdentifierKind string

// Identifier kinds. Publishers' labels are kept in Identifier.Label.
const (
	IDPassport     IdentifierKind = "passport"
	IDNational     IdentifierKind = "national_id"
	IDTax          IdentifierKind = "tax_id"
	IDRegistration IdentifierKind = "registration"
	IDIMO          IdentifierKind = "imo"
	IDMMSI         IdentifierKind = "mmsi"
	IDBIC          IdentifierKind = "bic"
	IDLEI          IdentifierKind = "lei"
	IDCrypto       IdentifierKind = "crypto"
	IDOther        IdentifierKind = "other"
)

// Identifier is a document or registration number.
type Identifier struct {
	Kind    IdentifierKind `json:"kind"`
	Label   string         `json:"label,omitempty"` // the publisher's type label, verbatim
	Number  string         `json:"number"`
	Country Country        `json:"country,omitzero"`
	Issued  PartialDate    `json:"issued,omitzero"`
	Expires PartialDate    `json:"expires,omitzero"`
	Note    string         `json:"note,omitempty"`
}

// Contact is an e-mail address, phone number or website.
type Contact struct {
	Kind  string `json:"kind"` // "email", "phone", "website", "fax"
	Value string `json:"value"`
}

// Designation is one listing of an entity: who listed it, under which
// program and law, and since when.
type Designation struct {
	Authority  string    `json:"authority"`             // "US-OFAC", "UN-SC", "EU", "GB-OFSI", ...
	List       string    `json:"list,omitempty"`        // "SDN", "Consolidated", ...
	Program    string    `json:"program,omitempty"`     // verbatim tag: "ICC-EO14203", "RUSSIA-EO14024"
	LegalBasis string    `json:"legal_basis,omitempty"` // instrument: "EO 14203", "Regulation (EU) 269/2014"
	ListedOn   DateValue `json:"listed_on,omitzero"`    // empty when the list gives no date
	Reference  string    `json:"reference,omitempty"`   // the publisher's reference ("QDi.268", "EU.27.28")
	Measures   []string  `json:"measures,omitempty"`    // "asset freeze", "travel ban", "Block", "Reject"
	Remarks    string    `json:"remarks,omitempty"`
}

// Link relates an entity to another, by id when the list gives one, else by
// name ("Linked To: HAMAS").
//
// Ownership relations are "owned_by" / "owner_of" (a share, given or not),
// "owned_or_controlled_by" (the source says owned or controlled, without a
// share) and "subsidiary_of" (the source names a parent). Percent, Start and
// End are what the source says of the relation, verbatim; empty when it says
// nothing.
type Link struct {
	Relation string `json:"relation"`            // "linked_to", "owned_by", ...
	TargetID string `json:"target_id,omitempty"` // full entity id when known
	Target   string `json:"target,omitempty"`    // name as written
	Percent  string `json:"percent,omitempty"`   // share held, in percent, as given ("51", "100")
	Start    string `json:"start,omitempty"`     // ISO date from which the relation holds, when given
	End      string `json:"end,omitempty"`       // ISO date on which it ended, when given
}
