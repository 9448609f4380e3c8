// Package bis reads the Bureau of Industry and Security's Denied Persons
// List (dpl.txt): tab-separated, every field quoted, header
// "Name" "Street_Address" "City" "State" "Country" "Postal_Code"
// "Effective_Date" "Expiration_Date" "Standard_Order" "Last_Update"
// "Action" "FR_Citation", one row per (denied party, address).
//
// The list repeats a party on consecutive rows, one per address (the file
// is sorted by name: 581 rows for 460 parties in 2022-09). Consecutive rows
// with the same name (after white-space clean-up) are one entity with
// several addresses, and one designation per distinct denial order
// (Effective_Date, Expiration_Date, FR_Citation). Only those rows are held
// in memory.
//
// The list has no key of its own, so the id is the slug of the name:
// "us-bis-dpl:abdulah-al-nasser". When two parties slug alike ("AL NASER
// AIRLINES" and "AL-NASER AIRLINES", or a name repeated non-consecutively
// such as " I. ASH" sorted apart from "I. ASH"), the later ones get "-2",
// "-3" ... in file order; the set of ids seen is the only per-file state.
//
// Schema: names with a company word (LTD, INC, LLC, S.A., AIRLINES ...) are
// organisations; the list does not say whether the others are persons, so
// they are left unknown.
package bis

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// SourceID is the source id of the Denied Persons List.
const SourceID = "us-bis-dpl"

// Authority and list name of the designations.
const (
	Authority = "US-BIS"
	ListName  = "Denied Persons List"
	Measure   = "denial of export privileges"
)

// FormatDPL reads dpl.txt.
var FormatDPL = source.Format{
	ID:    "us-bis-dpl",
	Title: "BIS Denied Persons List, tab-separated (dpl.txt)",
	Sniff: sniff,
	Parse: parse,
}

var columns = []string{"name", "street_address", "city", "state", "country", "postal_code",
	"effective_date", "expiration_date", "standard_order", "last_update", "action", "fr_citation"}

func sniff(name string, head []byte) bool {
	h := string(source.StripBOM(head))
	if i := strings.IndexAny(h, "\r\n"); i >= 0 {
		h = h[:i]
	}
	h = strings.ToLower(strings.ReplaceAll(h, `"`, ""))
	return strings.HasPrefix(h, "name\t") && strings.Contains(h, "\tstreet_address\t") &&
		strings.Contains(h, "\teffective_date\t") && strings.Contains(h, "fr_citation")
}

func parse(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	f, rc, err := source.OpenOne("us-bis-dpl", files)
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	meta.Records, err = parseReader(ctx, f.Name, rc, emit)
	return meta, err
}

type row struct {
	line int
	v    map[string]string
}

// parseReader parses the file and returns the number of data rows read.
func parseReader(ctx context.Context, file string, r io.Reader, emit source.Emit) (int, error) {
	cr := csv.NewReader(source.CSVText(file, source.UTF8Text(file, r), '\t', 0))
	cr.Comma = '\t'
	header, err := cr.Read()
	if err == io.EOF {
		return 0, source.NewError(file, 1, "", "empty file: no header row")
	}
	if err != nil {
		if source.Located(err) {
			return 0, err
		}
		return 0, source.NewError(file, 1, "header", "%v", source.CSVMessage(err))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"name", "effective_date"} {
		if _, ok := col[c]; !ok {
			return 0, source.NewError(file, 1, "header", "missing column %q: not a Denied Persons List", c)
		}
	}
	want := len(header)
	cr.FieldsPerRecord = want

	seen := map[string]int{}
	var group []row
	groupName := ""
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		e, err := buildEntity(group, seen)
		if err != nil {
			return source.NewError(file, group[0].line, "", "%v", err)
		}
		group = group[:0]
		return emit(e)
	}
	n := 0
	for {
		rec, line, err := source.CSVRow(cr, file, n+1, want)
		if err == io.EOF {
			break
		}
		n++
		if err != nil {
			return n, err
		}
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
		v := make(map[string]string, len(columns))
		for _, c := range columns {
			if i, ok := col[c]; ok {
				v[c] = source.Clean(rec[i])
			}
		}
		if v["name"] == "" {
			return n, source.NewError(file, line, "Name", "row %d: empty name", n)
		}
		if v["name"] != groupName {
			if err := flush(); err != nil {
				return n, err
			}
			groupName = v["name"]
		}
		group = append(group, row{line: line, v: v})
	}
	if err := flush(); err != nil {
		return n, err
	}
	if n == 0 {
		return 0, source.NewError(file, 1, "", "no data rows after the header")
	}
	return n, ctx.Err()
}

var (
	reOrgWord  = regexp.MustCompile(`(?i)(^|[\s,.])(ltd|limited|llc|l\.l\.c|inc|corp|corporation|co|company|gmbh|s\.a|s\.l|srl|s\.r\.l|ag|b\.v|bv|plc|pte|pvt|jsc|ooo|fze|fzco|fzc|group|holding|holdings|industries|trading|enterprises?|technology|technologies|airlines|airways|aviation|shipping|services|international|electronics|logistics|systems|engineering|manufacturing|nonwovens|aerospace|l\.p|lp|s\.a\.s|sarl|kg|oy|ab|nv|n\.v)(\.|,|\s|$)`)
	reNickname = regexp.MustCompile(`"([^"]+)"`)
)

func buildEntity(rows []row, seen map[string]int) (*lexscreen.Entity, error) {
	first := rows[0].v
	name := first["name"]
	key := source.Slug(name)
	if key == "" {
		return nil, fmt.Errorf("name %q has no letters or digits", name)
	}
	seen[key]++
	if c := seen[key]; c > 1 {
		key = fmt.Sprintf("%s-%d", key, c)
	}
	e := &lexscreen.Entity{ID: SourceID + ":" + key, Source: SourceID, Schema: lexscreen.SchemaUnknown}
	if reOrgWord.MatchString(name) {
		e.Schema = lexscreen.SchemaOrganization
	}
	e.AddName(lexscreen.Name{Full: name, Kind: lexscreen.NamePrimary})
	// IHSAN MEDHAT "SAMMY" ELASHI: the quoted nickname is a weak alias, the
	// name without it an alias.
	if m := reNickname.FindAllStringSubmatch(name, -1); m != nil {
		e.AddName(lexscreen.Name{Full: source.Clean(reNickname.ReplaceAllString(name, " ")), Kind: lexscreen.NameAlias})
		for _, x := range m {
			e.AddName(lexscreen.Name{Full: source.Clean(x[1]), Kind: lexscreen.NameWeakAlias})
		}
	}

	for _, r := range rows {
		v := r.v
		a := lexscreen.Address{Street: v["street_address"], City: v["city"], Region: v["state"], PostalCode: v["postal_code"]}
		if c := v["country"]; c != "" {
			a.Country = source.NewCountry(c)
		}
		var parts []string
		for _, p := range []string{a.Street, a.City, a.Region, a.PostalCode, v["country"]} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		a.Full = strings.Join(parts, ", ")
		if a.Full != "" && !hasAddress(e.Addresses, a) {
			e.Addresses = append(e.Addresses, a)
		}

		d := lexscreen.Designation{Authority: Authority, List: ListName, LegalBasis: v["fr_citation"], Measures: []string{Measure}}
		if pd, ok := source.ParseMDY(v["effective_date"]); ok {
			d.ListedOn = lexscreen.DateValue{From: pd, Text: v["effective_date"]}
		} else if v["effective_date"] != "" {
			return nil, fmt.Errorf("row at line %d: Effective_Date %q is not MM/DD/YYYY", r.line, v["effective_date"])
		}
		if x := v["expiration_date"]; x != "" {
			if pd, ok := source.ParseMDY(x); ok {
				d.Remarks = "Expires " + pd.String()
			} else {
				d.Remarks = "Expires " + x
			}
		}
		mergeDesignation(e, d)
		if x := v["expiration_date"]; x != "" {
			if pd, ok := source.ParseMDY(x); ok {
				x = pd.String()
			}
			e.AddAttribute("expiration_date", x)
		}
		e.AddAttribute("standard_order", strings.ToUpper(v["standard_order"]))
		e.AddAttribute("last_update", v["last_update"])
		e.AddAttribute("action", v["action"])
	}
	return e, nil
}

func hasAddress(list []lexscreen.Address, a lexscreen.Address) bool {
	for _, o := range list {
		if o == a {
			return true
		}
	}
	return false
}

// mergeDesignation adds d unless a designation with the same dates (the same
// denial order) is there; rows of one order sometimes cite the Federal
// Register slightly differently per address, and the longest citation is
// kept (the first one on ties).
func mergeDesignation(e *lexscreen.Entity, d lexscreen.Designation) {
	for i, o := range e.Designations {
		if o.ListedOn == d.ListedOn && o.Remarks == d.Remarks {
			if len(d.LegalBasis) > len(o.LegalBasis) {
				e.Designations[i].LegalBasis = d.LegalBasis
			}
			return
		}
	}
	e.Designations = append(e.Designations, d)
}
