package server

import (
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// Compatibility with yente (OpenSanctions' matching API): the shapes of its
// answers and the mapping of its schemata and datasets. Its request bodies
// accept unknown fields, as the original does; the /v1 API refuses them.

type yenteExplanation struct {
	Score     float64 `json:"score"`
	Detail    string  `json:"detail"`
	Query     string  `json:"query,omitempty"`
	Candidate string  `json:"candidate,omitempty"`
}

type yenteEntity struct {
	ID           string                      `json:"id" doc:"the FtM id of an entity imported from an FtM file, else the lexscreen id"`
	Caption      string                      `json:"caption"`
	Schema       string                      `json:"schema"`
	Properties   map[string][]any            `json:"properties" doc:"FtM properties (strings); sanctions holds nested Sanction entities"`
	Datasets     []string                    `json:"datasets"`
	Referents    []string                    `json:"referents"`
	Target       bool                        `json:"target"`
	FirstSeen    ftm.Timestamp               `json:"first_seen"`
	LastSeen     ftm.Timestamp               `json:"last_seen"`
	LastChange   ftm.Timestamp               `json:"last_change"`
	Score        float64                     `json:"score"`
	Match        bool                        `json:"match"`
	Features     map[string]float64          `json:"features"`
	Explanations map[string]yenteExplanation `json:"explanations"`
}

type yenteTotal struct {
	Value    int    `json:"value"`
	Relation string `json:"relation"`
}

type yenteMatchResponse struct {
	Responses map[string]yenteResponse `json:"responses"`
	Limit     int                      `json:"limit"`
}

type yenteSearchResponse struct {
	Results []yenteEntity         `json:"results"`
	Total   yenteTotal            `json:"total"`
	Limit   int                   `json:"limit"`
	Offset  int                   `json:"offset"`
	Facets  map[string]yenteFacet `json:"facets"`
}

// ftmSchema maps FollowTheMoney schemata to lexscreen's types ("" for any).
func ftmSchema(s string) (string, error) {
	switch strings.ToLower(s) {
	case "", "thing", "legalentity":
		return "", nil
	case "person":
		return "person", nil
	case "organization", "company", "publicbody":
		return "organization", nil
	case "vessel":
		return "vessel", nil
	case "airplane":
		return "aircraft", nil
	}
	return "", lexscreen.Errorf(lexscreen.EINVALID, "schema %q cannot be matched: want Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing", s)
}

func toFtm(s lexscreen.Schema) string {
	switch s {
	case lexscreen.SchemaPerson:
		return "Person"
	case lexscreen.SchemaOrganization:
		return "Organization"
	case lexscreen.SchemaVessel:
		return "Vessel"
	case lexscreen.SchemaAircraft:
		return "Airplane"
	}
	return "LegalEntity"
}

// dataset checks a yente dataset name: default (all lists) or a source id.
func dataset(ix *Index, name string) (string, error) {
	switch name {
	case "default", "sanctions", "all", "":
		return "", nil
	}
	for _, s := range ix.Snapshots {
		if ftm.NamesSource(name, s.Source) {
			return s.Source, nil
		}
	}
	return "", lexscreen.Errorf(lexscreen.ENOTFOUND, "no dataset %q: use default or a dataset of /catalog (us_ofac_sdn ...)", name)
}

func errMessage(err error) string {
	if le, ok := err.(*lexscreen.Error); ok {
		return le.Message
	}
	return err.Error()
}

// searchThreshold is the lowest score GET /search reports: a search shows
// candidates, not only matches.
const searchThreshold = 0.5
