package eu

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen/source"
)

// FormatCSV is the EU FSF CSV 1.1 export (csvFullSanctionsList_1_1).
//
// The file is denormalised: every row repeats the entity columns and carries
// one name alias, address, birth date, identification or citizenship. Rows
// of one entity are consecutive in the real files (checked on the 2022-10-28
// and 2024-01-24 files), so Parse keeps only the current entity's rows; an
// Entity_LogicalId that comes back after other entities is reported as an
// error rather than emitted twice (only the set of finished ids is kept).
var FormatCSV = source.Format{
	ID:    "eu-fsf-csv",
	Title: "EU Financial Sanctions Files CSV 1.1 (csvFullSanctionsList_1_1, ';'-separated)",
	Sniff: sniffCSV,
	Parse: parseCSV,
}

func sniffCSV(name string, head []byte) bool {
	head = source.StripBOM(head)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return bytes.Contains(head, []byte("Entity_LogicalId;")) && bytes.Contains(head, []byte(";NameAlias_WholeName"))
}

// The columns read, by header name. The 2022 and 2024 files share this
// 118-column header.
var requiredColumns = []string{"Entity_LogicalId", "NameAlias_WholeName"}

func parseCSV(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	f, rc, err := source.OpenOne("eu-fsf-csv", files)
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	return readCSV(ctx, f.Name, rc, emit)
}

type csvReader struct {
	cols   map[string]int
	row    []string
	record *record
	seen   map[string]map[string]bool // section -> logical ids already added to record
}

func (c *csvReader) get(col string) string {
	if i, ok := c.cols[col]; ok && i < len(c.row) {
		return c.row[i]
	}
	return ""
}

func readCSV(ctx context.Context, name string, r io.Reader, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	cr := csv.NewReader(source.CSVText(name, source.UTF8Text(name, r), ';', 0))
	cr.Comma = ';'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return meta, source.NewError(name, 1, "", "empty file: no header row")
	}
	if err != nil {
		if source.Located(err) {
			return meta, err
		}
		return meta, source.NewError(name, 1, "", "header: %v", csvErr(err))
	}
	c := &csvReader{cols: map[string]int{}}
	for i, h := range header {
		c.cols[strings.TrimSpace(h)] = i
	}
	for _, k := range requiredColumns {
		if _, ok := c.cols[k]; !ok {
			return meta, source.NewError(name, 1, k, "not an EU FSF CSV file: header has no %s column", k)
		}
	}
	width := len(header)

	done := map[string]bool{}
	cur := ""
	flush := func() error {
		if c.record == nil {
			return nil
		}
		done[cur] = true
		rec := c.record
		c.record = nil
		return emit(build(rec))
	}
	rowNum := 1
	for {
		if err := ctx.Err(); err != nil {
			return meta, err
		}
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		rowNum++
		line := rowNum
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			if source.Located(err) {
				return meta, err
			}
			return meta, source.NewError(name, line, "", "row %d: %v", rowNum, csvErr(err))
		}
		line, _ = cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // blank line
		}
		if len(row) != width {
			return meta, source.NewError(name, line, "", "row %d: %d columns, want %d", rowNum, len(row), width)
		}
		c.row = row
		id := source.Clean(c.get("Entity_LogicalId"))
		if id == "" {
			return meta, source.NewError(name, line, "Entity_LogicalId", "row %d: empty Entity_LogicalId", rowNum)
		}
		if meta.Published.IsZero() {
			if g := source.Clean(c.get("fileGenerationDate")); g != "" {
				if d, ok := source.ParseDate(g); ok && d.Precision() == "day" {
					meta.Published = d.First()
					meta.Version = d.String()
				} else if ts, err := time.Parse(time.RFC3339Nano, g); err == nil {
					meta.Published = ts.UTC()
					meta.Version = g
				}
			}
		}
		if id != cur {
			if err := flush(); err != nil {
				return meta, err
			}
			if done[id] {
				return meta, source.NewError(name, line, "Entity_LogicalId", "row %d: rows of entity %s are not consecutive", rowNum, id)
			}
			cur = id
			c.record = &record{LogicalID: id}
			c.seen = map[string]map[string]bool{}
		}
		c.addRow()
	}
	if err := flush(); err != nil {
		return meta, err
	}
	return meta, nil
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// firstSeen reports whether the section instance with this key is new.
func (c *csvReader) firstSeen(section, key string) bool {
	m := c.seen[section]
	if m == nil {
		m = map[string]bool{}
		c.seen[section] = m
	}
	if m[key] {
		return false
	}
	m[key] = true
	return true
}

// remarks splits a CSV remark cell: several remarks are joined with a
// literal backslash-n ("first\nsecond"); a literal backslash-n inside one
// remark becomes a newline.
func remarks(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(s), `\n`) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// entityRemarks reads Entity_Remark, where the export wraps each remark in
// parentheses: "(first)\n(second)".
func entityRemarks(s string) []string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return remarks(s)
	}
	var out []string
	for _, p := range strings.Split(s[1:len(s)-1], `)\n(`) {
		p = strings.TrimSpace(strings.ReplaceAll(p, `\n`, "\n"))
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *csvReader) addRow() {
	r := c.record
	g := c.get
	if r.EUReference == "" {
		r.EUReference = g("Entity_EU_ReferenceNumber")
	}
	if r.UnitedNationID == "" {
		r.UnitedNationID = g("Entity_UnitedNationId")
	}
	if r.DesignationDetails == "" {
		r.DesignationDetails = g("Entity_DesignationDetails")
	}
	if r.SubjectType.Code == "" {
		// The CSV puts the letter in Entity_SubjectType and the word in
		// Entity_SubjectType_ClassificationCode (swapped against the XML).
		r.SubjectType.Code = g("Entity_SubjectType_ClassificationCode")
		r.SubjectType.ClassificationCode = g("Entity_SubjectType")
	}
	if rm := g("Entity_Remark"); rm != "" && c.firstSeen("remark", rm) {
		r.Remarks = append(r.Remarks, entityRemarks(rm)...)
	}
	if nt, pr := g("Entity_Regulation_NumberTitle"), g("Entity_Regulation_Programme"); (nt != "" || pr != "") && c.firstSeen("regulation", nt+"\x00"+pr) {
		r.Regulations = append(r.Regulations, reg{
			Type: g("Entity_Regulation_Type"), OrganisationType: g("Entity_Regulation_OrganisationType"),
			PublicationDate: g("Entity_Regulation_PublicationDate"), EntryIntoForceDate: g("Entity_Regulation_EntryIntoForceDate"),
			NumberTitle: nt, Programme: pr, PublicationURL: g("Entity_Regulation_PublicationUrl"),
			designationDate: g("Entity_DesignationDate"),
		})
	} else if dd := g("Entity_DesignationDate"); dd != "" {
		for i := range r.Regulations {
			if r.Regulations[i].NumberTitle == nt && r.Regulations[i].Programme == pr && r.Regulations[i].designationDate == "" {
				r.Regulations[i].designationDate = dd
			}
		}
	}

	if id, whole := g("NameAlias_LogicalId"), g("NameAlias_WholeName"); (id != "" || whole != "") && c.firstSeen("name", id+"\x00"+whole) {
		r.Names = append(r.Names, nameAlias{
			FirstName: g("NameAlias_FirstName"), MiddleName: g("NameAlias_MiddleName"), LastName: g("NameAlias_LastName"),
			WholeName: whole, Function: g("NameAlias_Function"), Gender: g("NameAlias_Gender"), Title: g("NameAlias_Title"),
			NameLanguage: g("NameAlias_NameLanguage"), Strong: g("NameAlias_Strong"), LogicalID: id,
			Remarks: remarks(g("NameAlias_Remark")),
		})
	}
	if id := g("Address_LogicalId"); id != "" && c.firstSeen("address", id) {
		a := addr{
			City: g("Address_City"), Street: g("Address_Street"), PoBox: g("Address_PoBox"), ZipCode: g("Address_ZipCode"),
			Region: g("Address_Region"), Place: g("Address_Place"), AsAtListingTime: g("Address_AsAtListingTime"),
			CountryIso2Code: g("Address_CountryIso2Code"), CountryDescription: g("Address_CountryDescription"),
			LogicalID: id, Remarks: remarks(g("Address_Remark")),
		}
		a.Contacts = contacts(g("Address_ContactInfo"))
		r.Addresses = append(r.Addresses, a)
	}
	if id := g("BirthDate_LogicalId"); id != "" && c.firstSeen("birth", id) {
		r.BirthDates = append(r.BirthDates, birth{
			Circa: g("BirthDate_Circa"), CalendarType: g("BirthDate_CalendarType"), City: g("BirthDate_City"),
			ZipCode: g("BirthDate_ZipCode"), BirthDate: g("BirthDate_BirthDate"), DayOfMonth: g("BirthDate_Day"),
			MonthOfYear: g("BirthDate_Month"), Year: g("BirthDate_Year"), YearRangeFrom: g("BirthDate_YearRangeFrom"),
			YearRangeTo: g("BirthDate_YearRangeTo"), Region: g("BirthDate_Region"), Place: g("BirthDate_Place"),
			CountryIso2Code: g("BirthDate_CountryIso2Code"), CountryDescription: g("BirthDate_CountryDescription"),
			LogicalID: id, Remarks: remarks(g("BirthDate_Remark")),
		})
	}
	if id := g("Identification_LogicalId"); id != "" && c.firstSeen("ident", id) {
		r.Identifications = append(r.Identifications, ident{
			Diplomatic: g("Identification_Diplomatic"), KnownExpired: g("Identification_KnownExpired"),
			KnownFalse: g("Identification_KnownFalse"), ReportedLost: g("Identification_ReportedLost"),
			RevokedByIssuer: g("Identification_RevokedByIssuer"), IssuedBy: g("Identification_IssuedBy"),
			IssueDate: g("Identification_IssuedDate"), ValidFrom: g("Identification_ValidFrom"), ValidTo: g("Identification_ValidTo"),
			LatinNumber: g("Identification_LatinNumber"), NameOnDocument: g("Identification_NameOnDocument"),
			Number: idNumber(g("Identification_Number"), g("Identification_TypeCode")), Region: g("Identification_Region"),
			CountryIso2Code: g("Identification_CountryIso2Code"), CountryDescription: g("Identification_CountryDescription"),
			TypeCode: g("Identification_TypeCode"), TypeDescription: g("Identification_TypeDescription"),
			LogicalID: id, Remarks: remarks(g("Identification_Remark")),
		})
	}
	if id := g("Citizenship_LogicalId"); id != "" && c.firstSeen("citizen", id) {
		r.Citizenships = append(r.Citizenships, citizen{
			Region: g("Citizenship_Region"), CountryIso2Code: g("Citizenship_CountryIso2Code"),
			CountryDescription: g("Citizenship_CountryDescription"), LogicalID: id, Remarks: remarks(g("Citizenship_Remark")),
		})
	}
}

// contacts reads "PHONE[042-681 20 81]\nFAX[662 38 14]" (literal
// backslash-n between items). Text that is not KEY[value] (the export
// appends the address remark there in parentheses) is not a contact.
func contacts(s string) []contact {
	var out []contact
	for _, part := range strings.Split(s, `\n`) {
		for _, m := range reContact.FindAllStringSubmatch(part, -1) {
			if v := strings.TrimSpace(m[2]); v != "" {
				out = append(out, contact{Key: m[1], Value: v})
			}
		}
	}
	return out
}

var reIDSuffix = regexp.MustCompile(` \([a-z]+-[^)]*\)`)

// idNumber cuts the CSV's composite Identification_Number, "D 0001203
// (passport-National passport) ((afghan passport))", down to the number: the
// type and remarks after it have columns of their own.
func idNumber(s, code string) string {
	if code != "" {
		if i := strings.Index(s, " ("+code+"-"); i >= 0 {
			return strings.TrimSpace(s[:i])
		}
	}
	if loc := reIDSuffix.FindStringIndex(s); loc != nil {
		return strings.TrimSpace(s[:loc[0]])
	}
	return strings.TrimSpace(s)
}
