package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// scenarioFile is shared/legal/scenarios.yaml: who must do what, on which
// date, when a name matches. It runs on the bundled lists and ICC data.
type scenarioFile struct {
	Overlays map[string]string `yaml:"overlays"`
	// Lists names the official list files the scenarios assume (the
	// bundled ones: not imported again).
	Lists []string `yaml:"lists"`
	// OwnLists are lists of the file's own (lexscreen-json text by file
	// name), imported besides the bundled ones before its scenarios run,
	// in a data directory of their own: e.g. companies and who owns them.
	OwnLists  map[string]string `yaml:"own_lists"`
	Scenarios []struct {
		ID       string   `yaml:"id"`
		Name     string   `yaml:"name"`
		Type     string   `yaml:"type"`
		Operator string   `yaml:"operator"`
		Date     string   `yaml:"date"`
		Overlay  string   `yaml:"overlay"`
		Match    string   `yaml:"match"`
		Include  []string `yaml:"include"`
		Exclude  []string `yaml:"exclude"`
		// Conflict, when set, says whether the match must carry a conflict;
		// WaysOut names who must grant a way out of it (WayOut.From).
		Conflict *bool    `yaml:"conflict"`
		WaysOut  []string `yaml:"ways_out"`
		Why      string   `yaml:"why"`
	} `yaml:"scenarios"`
}

// scenarioFiles are the scenario files run on the bundled lists: the shared
// one and the project's own (issue 12).
var scenarioFiles = []string{"testdata/scenarios.yaml", "../../regime/testdata/scenarios-issue12.yaml",
	"../../regime/testdata/scenarios-issue12-conf.yaml", "../../regime/testdata/scenarios-issue12-report.yaml",
	"../../regime/testdata/scenarios-issue12-own.yaml"}

func TestLegalScenarios(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lists(t, dir) // loads the bundled lists
	for _, f := range scenarioFiles {
		t.Run(filepath.Base(f), func(t *testing.T) { runScenarioFile(t, dir, f) })
	}
}

func runScenarioFile(t *testing.T, dir, file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var sf scenarioFile
	if err := yaml.Unmarshal(b, &sf); err != nil {
		t.Fatal(err)
	}
	if len(sf.Scenarios) == 0 {
		t.Fatalf("%s: no scenarios", file)
	}
	if len(sf.OwnLists) > 0 {
		dir = t.TempDir()
		lists(t, dir)
		names := make([]string, 0, len(sf.OwnLists))
		for name := range sf.OwnLists {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, []byte(sf.OwnLists[name]), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, errOut, code := lex(t, dir, "import", p); code != 0 {
				t.Fatalf("importing list %s: exit %d: %s", name, code, errOut)
			}
		}
	}
	overlayPath := map[string]string{}
	for name, text := range sf.Overlays {
		p := filepath.Join(t.TempDir(), name+".yaml")
		os.WriteFile(p, []byte(text), 0o644)
		overlayPath[name] = p
	}
	for _, sc := range sf.Scenarios {
		if sc.Overlay != "" && overlayPath[sc.Overlay] == "" {
			t.Errorf("%s: unknown overlay %q", sc.ID, sc.Overlay)
			continue
		}
		t.Run(sc.ID, func(t *testing.T) {
			args := []string{"screen", "--json", "--operator", sc.Operator, "--date", sc.Date, "--current-lists"}
			if sc.Type != "" {
				args = append(args, "--type", sc.Type)
			}
			if sc.Overlay != "" {
				args = append(args, "--regimes", overlayPath[sc.Overlay])
			}
			out, errOut, code := lex(t, dir, append(args, sc.Name)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var res struct {
				Matches []struct {
					Entity struct {
						ID    string   `json:"id"`
						Names []string `json:"names"`
					} `json:"entity"`
					Obligations []struct {
						Kind string `json:"kind"`
					} `json:"obligations"`
				} `json:"matches"`
				Conflicts []struct {
					EntityID string `json:"entity_id"`
					WaysOut  []struct {
						From string `json:"from"`
					} `json:"ways_out"`
				} `json:"conflicts"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			kinds := map[string]bool{}
			matched := 0
			conflicted, from := false, map[string]bool{}
			for _, m := range res.Matches {
				if !namesContain(m.Entity.Names, sc.Match) {
					continue
				}
				matched++
				for _, c := range res.Conflicts {
					if c.EntityID == m.Entity.ID {
						conflicted = true
						for _, w := range c.WaysOut {
							from[w.From] = true
						}
					}
				}
				for _, o := range m.Obligations {
					kinds[o.Kind] = true
				}
			}
			if matched == 0 && len(sc.Include) > 0 {
				t.Fatalf("no match whose names contain %q (%s)", sc.Match, sc.Why)
			}
			for _, k := range sc.Include {
				if !kinds[k] {
					t.Errorf("missing %s (%s); got %v", k, sc.Why, kinds)
				}
			}
			for _, k := range sc.Exclude {
				if kinds[k] {
					t.Errorf("unexpected %s (%s)", k, sc.Why)
				}
			}
			if sc.Conflict != nil && *sc.Conflict != conflicted {
				t.Errorf("conflict %v, want %v (%s)", conflicted, *sc.Conflict, sc.Why)
			}
			for _, w := range sc.WaysOut {
				if !from[w] {
					t.Errorf("no way out granted by %q; got %v (%s)", w, from, sc.Why)
				}
			}
		})
	}
}

// namesContain reports whether some name has all the words of match,
// case-insensitively and ignoring punctuation.
func namesContain(names []string, match string) bool {
	words := strings.Fields(strings.ToLower(match))
	for _, n := range names {
		f := strings.ToLower(strings.Map(func(r rune) rune {
			if r == '-' || r == ',' || r == '.' || r == '\'' {
				return ' '
			}
			return r
		}, n))
		have := map[string]bool{}
		for _, w := range strings.Fields(f) {
			have[w] = true
		}
		all := true
		for _, w := range words {
			all = all && have[w]
		}
		if all {
			return true
		}
	}
	return false
}

// Bad legal input gets a precise error and exit code 2.
func TestLegalBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("blocking_statutes:\n  - id: EU-2271-96\n    anex_add: []\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"screen", "--operator", "mars-bank", "Karim Khan"}, "unknown operator"},
		{[]string{"screen", "--operator", "border:XX", "Karim Khan"}, "XX"},
		{[]string{"screen", "--operator", "eu-bank", "--date", "1990-01-01", "Karim Khan"}, "out of range"},
		{[]string{"screen", "--operator", "eu-bank", "--date", "2025-02-30", "Karim Khan"}, "2025-02-30"},
		{[]string{"screen", "--operator", "eu-bank", "--regimes", bad, "Karim Khan"}, "line 3"},
		{[]string{"screen", "--regimes", bad, "Karim Khan"}, "--operator"},
		{[]string{"obligations"}, "--operator"},
	} {
		_, errOut, code := lex(t, dir, c.args...)
		if code != exitInvalid || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", c.args, code, errOut, exitInvalid, c.want)
		}
	}
	// `regimes` shows every rule with its citation, and marks memory-only facts.
	out, _, code := lex(t, dir, "regimes")
	if code != 0 || !strings.Contains(out, "31 CFR") || !strings.Contains(out, "UNCONFIRMED") || !strings.Contains(out, "Rome Statute") {
		t.Errorf("regimes: exit %d\n%.500s", code, out)
	}
}
