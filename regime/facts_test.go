package regime

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// allText joins everything an answer says: explanations, bases and flags.
func allText(obs []lexscreen.Obligation) string {
	var b strings.Builder
	for _, o := range obs {
		b.WriteString(o.Explanation + " | " + o.Basis + " | ")
		for _, f := range o.Flags {
			b.WriteString(f.Text + " | ")
		}
	}
	return b.String()
}

// Item 9: an explanation cites only the facts known on the query date. Each
// case names what must not (absent) and what must (present) be said.
func TestFactsKnownOnTheDate(t *testing.T) {
	tomoko := ruCase("akane-tomoko", "Tomoko Akane", "2023-07-27")
	tomoko.Attributes["conviction_date"] = []string{"2025-12-12"}
	ivory := warrant("example-ci-suspect", "Example Ivorian Suspect", "Côte d'Ivoire", "ICC-02/11", "2004-06-01")
	cases := []struct {
		name, op, date string
		l              Listing
		absent         []string
		present        []string
	}{
		// A hostile case: nothing before it was opened; no conviction cited before it.
		{"ru case before it opened", "eu-bank", "2019-05-01", tomoko, []string{"conviction", "2023-07-27 (", "12 Dec 2025", "Investigative Committee"}, []string{"no case"}},
		{"ru case before conviction", "eu-bank", "2024-02-01", tomoko, []string{"conviction", "12 Dec 2025", "null and void"}, []string{"opened 2023-07-27"}},
		{"ru case after conviction", "eu-bank", "2026-01-10", tomoko, []string{"null and void"}, []string{"in-absentia conviction 2025-12-12", "Moscow City Court"}},
		{"ru case after UN experts", "uk-firm", "2026-03-01", tomoko, nil, []string{"null and void"}},
		// A withdrawal: not before it was notified; the repeal only from its date.
		{"hungary before notice", "border:HU", "2025-04-02", putinICC, []string{"withdraw", "repeal"}, nil},
		{"hungary notice pending", "border:HU", "2025-09-01", putinICC, []string{"repeal"}, []string{"notified its withdrawal on 2025-06-02", "2026-06-02"}},
		{"hungary repealed", "border:HU", "2026-07-01", putinICC, nil, []string{"repealed on 2026-05-27"}},
		{"niger before notice", "border:NE", "2025-11-01", putinICC, []string{"withdraw", "2027"}, nil},
		{"niger notice pending", "border:NE", "2026-07-01", putinICC, nil, []string{"take effect on 2027-06-18", "inferred"}},
		// Not yet ratified: the future entry into force is not stated.
		{"armenia before deposit", "border:AM", "2023-06-01", putinICC, []string{"2024-02-01", "enters into force"}, []string{"not yet ratified"}},
		{"armenia deposited", "border:AM", "2023-12-15", putinICC, nil, []string{"enters into force for it on 2024-02-01"}},
		// Declaration notes: no later surrender or membership cited.
		{"ivory coast 2005", "border:CI", "2005-01-10", ivory, []string{"Gbagbo", "2013-05-01", "2011"}, []string{"art. 12(3)"}},
		{"ivory coast 2012", "border:CI", "2012-01-10", ivory, []string{"2013-05-01"}, []string{"Gbagbo"}},
		// A bank before a warrant: the warrant's future date is not cited.
		{"bank before warrant", "eu-bank", "2020-01-01", netanyahu, []string{"2024-11-21"}, []string{"No ICC arrest warrant"}},
		// The ICC program's regulations exist only from 2025-07-01.
		{"ICC program before its regulations", "us-bank", "2025-03-01", khanSDN, []string{"31 CFR part 528"}, []string{"EO 14203"}},
		{"ICC program after its regulations", "us-bank", "2025-08-01", khanSDN, nil, []string{"31 CFR part 528"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := allText(evalOne(t, c.op, c.date, c.l))
			for _, x := range c.absent {
				if strings.Contains(s, x) {
					t.Errorf("on %s cites %q, a later fact: %s", c.date, x, s)
				}
			}
			for _, x := range c.present {
				if !strings.Contains(s, x) {
					t.Errorf("on %s should say %q: %s", c.date, x, s)
				}
			}
		})
	}
}

// sentencesOn keeps only what holds on the date, in order.
func TestSentencesOn(t *testing.T) {
	ds := []DatedSentence{{From: day{d("2020-01-01")}, Text: "A."}, {From: day{d("2021-06-30")}, Text: "B."}, {From: day{d("2022-01-01")}, Text: "C."}}
	for date, want := range map[string]string{"2019-12-31": "", "2020-01-01": "A.", "2021-06-30": "A. B.", "2030-01-01": "A. B. C."} {
		if got := sentencesOn(ds, d(date)); got != want {
			t.Errorf("%s: %q, want %q", date, got, want)
		}
	}
}

// Item 11: Albanese. Listed 2025-07-09; enjoined 2026-05-13; restored after
// an appellate stay on a date not captured. Before the litigation: BLOCK, no
// flag. On the injunction's day: RISK. After it: BLOCK again, at [D], flagged
// LITIGATION_PENDING. GL 8's end date is unknown, never "indefinite"; GL 2
// and 3 cover her by inference [D].
func TestAlbaneseRestoredWithLitigationFlag(t *testing.T) {
	flag := func(obs []lexscreen.Obligation) *lexscreen.ObligationFlag {
		for _, o := range obs {
			for i := range o.Flags {
				if o.Flags[i].Code == "LITIGATION_PENDING" {
					return &o.Flags[i]
				}
			}
		}
		return nil
	}
	before := evalOne(t, "us-bank", "2025-09-15", albanese)
	if !kinds(before)["BLOCK"] || flag(before) != nil {
		t.Errorf("2025-09-15: want BLOCK without a litigation flag: %v", summary(before))
	}
	enjoined := evalOne(t, "us-bank", "2026-05-13", albanese)
	if kinds(enjoined)["BLOCK"] || !kinds(enjoined)["RISK"] || flag(enjoined) == nil {
		t.Errorf("2026-05-13: want RISK (enjoined) with the flag: %v", summary(enjoined))
	}
	for _, date := range []string{"2026-05-20", "2026-08-20", "2027-03-01"} {
		obs := evalOne(t, "us-bank", date, albanese)
		if !kinds(obs)["BLOCK"] || kinds(obs)["RISK"] {
			t.Errorf("%s: want BLOCK (restored), not RISK: %v", date, summary(obs))
		}
		f := flag(obs)
		if f == nil || f.Since != "2026-05-13" || !strings.Contains(f.Text, "appeal") {
			t.Errorf("%s: want a LITIGATION_PENDING flag since 2026-05-13: %+v", date, f)
		}
		for _, o := range obs {
			if o.Kind == "BLOCK" && (o.Confidence != ConfDerived || !strings.Contains(o.ConfidenceLimitedBy, "relisted")) {
				t.Errorf("%s: BLOCK [%s] limited by %q: want [D] naming the undated re-listing", date, o.Confidence, o.ConfidenceLimitedBy)
			}
		}
		b, _ := json.Marshal(obs)
		if !strings.Contains(string(b), `"flags":[{"code":"LITIGATION_PENDING"`) {
			t.Errorf("%s: flag not structured in JSON: %s", date, b)
		}
	}
	s := allText(evalOne(t, "us-bank", "2025-07-20", albanese))
	if strings.Contains(strings.ToLower(s), "indefinite") || !strings.Contains(s, "General Licence 8") || !strings.Contains(s, "end date is unknown") {
		t.Errorf("GL 8: want its end date unknown, never indefinite: %s", s)
	}
	if !strings.Contains(s, "that it covers ALBANESE, Francesca Paola is inferred [D]") {
		t.Errorf("GL 2/3 coverage should be an inference [D]: %s", s)
	}
}

// Item 11: GL 2 coverage is [D] for every designee it is cited for, and a
// licence with a known end date (GL 9, Prost) stops being cited after it.
func TestGeneralLicenceFacts(t *testing.T) {
	for _, date := range []string{"2025-09-01", "2025-10-01"} {
		obs := evalOne(t, "us-bank", date, prost)
		s := allText(obs)
		gl9 := strings.Contains(s, "General Licence 9")
		if date == "2025-09-01" && (!gl9 || !strings.Contains(s, "until 2025-09-19")) {
			t.Errorf("%s: GL 9 with its end date expected: %s", date, s)
		}
		if date == "2025-10-01" && gl9 {
			t.Errorf("%s: GL 9 ended on 2025-09-19: %s", date, s)
		}
		for _, o := range obs {
			if o.Kind == "BLOCK" && (o.Confidence != ConfDerived || !strings.Contains(o.ConfidenceLimitedBy, "General Licence 2")) {
				t.Errorf("%s: BLOCK [%s] %q: GL 2 coverage is inferred [D]", date, o.Confidence, o.ConfidenceLimitedBy)
			}
		}
	}
	// Damdin (Dec 2025) has no licence in the data: nothing inferred, [V-2nd] from the designation date.
	for _, o := range evalOne(t, "us-bank", "2026-01-05", damdin) {
		if o.Kind == "BLOCK" && (o.Confidence != ConfSecondary || !strings.Contains(o.ConfidenceLimitedBy, "designation date 2025-12-18")) {
			t.Errorf("Damdin BLOCK [%s] %q", o.Confidence, o.ConfidenceLimitedBy)
		}
	}
}
