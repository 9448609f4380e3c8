package server

import (
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// clientRoutes are the endpoints real clients of yente and of the
// reconciliation API call besides matching (see API.md, "Clients").
func (s *Server) clientRoutes() []route {
	sc, an := audit.RoleScreener, audit.RoleAnalyst
	idParam := param{Name: "id", In: "path", Required: true, Example: "NK-2Tbri3s6GgNtAwsSXh4qpL", Description: "an FtM id (entities imported from FtM files) or a lexscreen id (us-ofac-sdn:52965)"}
	prefix := param{Name: "prefix", In: "query", Required: true, Example: "Karim", Description: "what the user typed"}
	return []route{
		{Method: "GET", Path: "/entities/{id}", Role: sc, Summary: "yente-compatible entity look-up",
			Description: "Drop-in for yente's GET /entities/{id}: the entity with its FtM properties, designations as nested Sanction entities (properties.sanctions), referents, datasets, first_seen, last_seen, last_change and target. 404 with yente's detail for an id not in the lists in use.",
			Params: []param{idParam, {Name: "nested", In: "query", Description: "accepted; sanctions are always nested"},
				{Name: "algorithm", In: "query", Description: "accepted as on /match (Marble sends it); a name /algorithms does not list is refused"}}, Response: ftm.Exported{}, handler: s.handleYenteEntity},
		{Method: "GET", Path: "/algorithms", Role: sc, Summary: "yente-compatible list of scoring algorithms",
			Description: "lexscreen scores with its own engine; yente's algorithm names are accepted in ?algorithm= and listed as names of it. An unknown algorithm is refused (400).",
			Response:    yenteAlgorithms{}, handler: s.handleYenteAlgorithms},
		{Method: "GET", Path: "/reconcile/suggest/entity", Role: sc, Summary: "Reconciliation suggest: entities for a name being typed (recorded as a screening)",
			Params: []param{prefix}, Response: reconcileSuggestResponse{}, handler: s.handleSuggestEntity},
		{Method: "GET", Path: "/reconcile/suggest/type", Role: sc, Summary: "Reconciliation suggest: types",
			Params: []param{prefix}, Response: reconcileSuggestResponse{}, handler: s.handleSuggestType},
		{Method: "GET", Path: "/reconcile/suggest/property", Role: sc, Summary: "Reconciliation suggest: properties",
			Params: []param{prefix}, Response: reconcileSuggestResponse{}, handler: s.handleSuggestProperty},
		{Method: "GET", Path: "/reconcile/flyout/entity", Role: sc, Summary: "Reconciliation suggest flyout: {id, html}",
			Params: []param{{Name: "id", In: "query", Required: true}}, Response: reconcileFlyout{}, handler: s.handleReconcileFlyout},
		{Method: "GET", Path: "/reconcile/preview", Role: sc, Summary: "Reconciliation preview: an HTML fragment of an entity",
			Params: []param{{Name: "id", In: "query", Required: true, Example: "us-ofac-sdn:52965"}}, ResponseType: "text/html", handler: s.handleReconcilePreview},
		{Method: "GET", Path: "/reconcile/view/{id}", Role: sc, Summary: "Reconciliation view: an HTML page of an entity (the manifest's view.url)",
			Params: []param{idParam}, ResponseType: "text/html", handler: s.handleReconcileView},
		{Method: "GET", Path: "/reconcile/extend/propose", Role: sc, Summary: "Reconciliation data extension: the properties offered",
			Params: []param{{Name: "type", In: "query"}}, Response: reconcileProposeResponse{}, handler: s.handleReconcilePropose},
		{Method: "POST", Path: "/reconcile/match", Role: sc, Summary: "Reconciliation 1.0-draft matching: queries of conditions, results in order",
			Request: reconcileMatchBody{}, Response: reconcileMatchResponse{},
			Example: `{"queries": [{"type": "Person", "conditions": [{"matchType": "name", "propertyValue": "Karim Khan"}, {"matchType": "property", "propertyId": "birthDate", "propertyValue": "1970"}]}]}`,
			handler: s.handleReconcileMatch},
		{Method: "GET", Path: "/v1/export", Role: an, Summary: "The lists in use as FtM JSON lines (entities.ftm.json)",
			Description: "One FtM entity a line, as `lexscreen export --format ftm` writes it: FtM ids, schema, properties, referents and datasets of entities imported from FtM files are kept. source= limits it to one list.",
			Params:      []param{{Name: "source", In: "query", Description: "one list (source id or dataset name)", Example: "us_ofac_sdn"}},
			Response:    ftm.Exported{}, ResponseType: "application/x-ndjson", handler: s.handleExport},
	}
}
