package formats

import (
	"os"
	"path/filepath"
	"testing"
)

// Every real excerpt in the parsers' testdata is recognised by exactly the
// format that reads it, and by no other.
func TestDetectExcerpts(t *testing.T) {
	want := map[string]string{
		"bis/testdata/dpl-excerpt.txt":                                 "us-bis-dpl",
		"ca/testdata/sema-lmes-excerpt.xml":                            "ca-sema-xml",
		"custom/testdata/icc_warrants.csv":                             "lexscreen-csv",
		"custom/testdata/icc_warrants.json":                            "lexscreen-json",
		"custom/testdata/pep.jsonl":                                    "lexscreen-json",
		"eu/testdata/eu_csl_excerpt.csv":                               "eu-fsf-csv",
		"eu/testdata/fsf_xml_1_1_excerpt.xml":                          "eu-fsf-xml",
		"ftm/testdata/eu_fsf_entities.ftm.json":                        "ftm-json",
		"ftm/testdata/zala_excerpt.ftm.json":                           "ftm-json",
		"ftm/testdata/yente_t2_20240528014702-pfh_entities.delta.json": "ftm-delta",
		"ofac/testdata/sdn/SDN.CSV":                                    "ofac-csv",
		"ofacxml/testdata/cons_enhanced_excerpt.xml":                   "ofac-enhanced-xml",
		"ofacxml/testdata/consolidated_excerpt.xml":                    "ofac-xml",
		"ofacxml/testdata/sdn_advanced_sample.xml":                     "ofac-advanced-xml",
		"uk/testdata/fcdo_UK-Sanctions-List_excerpt.csv":               "uk-fcdo-csv",
		"uk/testdata/fcdo_UK-Sanctions-List_excerpt.xml":               "uk-fcdo-xml",
		"uk/testdata/fcdo_UK_Sanctions_List_excerpt.ods":               "uk-fcdo-ods",
		"uk/testdata/ofsi_ConList_excerpt.csv":                         "uk-ofsi-csv",
		"un/testdata/consolidated_excerpt.xml":                         "un-xml",
		"uscsl/testdata/consolidated-excerpt.csv":                      "us-csl-csv",
	}
	for rel, id := range want {
		path := filepath.Join("..", rel)
		head, err := readHead(path)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		var claims []string
		for _, f := range All {
			if f.Sniff(filepath.Base(path), head) {
				claims = append(claims, f.ID)
			}
		}
		if len(claims) != 1 || claims[0] != id {
			t.Errorf("%s: claimed by %v, want only %s", rel, claims, id)
		}
	}
}

// The four OFAC CSV files of one folder form one job; README files are skipped.
func TestDetectGroupsOFAC(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "ofac", "testdata", "sdn", upperIf(name)))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# notes"), 0o644)
	jobs, err := Detect([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].Format.ID != "ofac-csv" || len(jobs[0].Files) != 4 {
		t.Fatalf("jobs = %+v", jobs)
	}
	if _, err := Detect([]string{filepath.Join(dir, "README.md")}, ""); err == nil {
		t.Error("an explicitly named non-list file was accepted")
	}
	if _, err := Detect([]string{dir}, "no-such-format"); err == nil {
		t.Error("unknown --format accepted")
	}
}

func upperIf(name string) string {
	if name == "sdn.csv" {
		return "SDN.CSV"
	}
	return name
}
