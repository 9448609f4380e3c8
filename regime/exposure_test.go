package regime

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// seen returns l first seen in a snapshot of date s (a list file of that day).
func seen(l Listing, s string) Listing {
	l.FirstSeen = d(s)
	return l
}

// sections maps each entity id of a report to the key of its section, and
// fails the test if one is counted twice or the counts do not add up.
func sections(t *testing.T, rep Report) map[string]string {
	t.Helper()
	at := map[string]string{}
	n := rep.NotApplicable
	for _, sec := range rep.Sections() {
		n += len(sec.Items)
		for _, it := range sec.Items {
			if prev, dup := at[it.EntityID]; dup {
				t.Errorf("%s counted twice: %s and %s", it.EntityID, prev, sec.Key)
			}
			at[it.EntityID] = sec.Key
		}
	}
	if n != rep.Listings {
		t.Errorf("sections add up to %d listings, report says %d", n, rep.Listings)
	}
	return at
}

// TestExposureSections: a listing the operator is bound by and forbidden to
// comply with is counted once, in conflict (with its conflict); one a
// blocking statute forbids complying with but that binds nothing is under
// must not comply; a listing not shown to be in force on the date is never
// binding.
func TestExposureSections(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	euSub, _ := ParseOperator("eu-subsidiary-of-us-bank")
	euBank, _ := ParseOperator("eu-bank")
	usBank, _ := ParseOperator("us-bank")
	// Listed in files of 2012: in force on the dates below.
	ni, bc, sg, ru := seen(nioc, "2012-01-01"), seen(bnc, "2012-01-01"), seen(sdgtAbbas, "2012-01-01"), seen(ukraineEO13661, "2012-01-01")
	// No listing date and first seen in a file of 2025-06-01.
	late := seen(sdn("40001", "EXAMPLE CUBAN TRADER", "CUBA"), "2025-06-01")
	cases := []struct {
		id   string
		op   Operator
		date string
		want map[string]string // entity id -> section key ("" not applicable)
	}{
		{"eu-sub", euSub, "2025-03-01", map[string]string{ni.EntityID: "in_conflict", bc.EntityID: "in_conflict", sg.EntityID: "risk_only", ru.EntityID: "risk_only", late.EntityID: "date_unknown"}},
		{"eu-sub-before-itsr-annexed", euSub, "2018-08-01", map[string]string{ni.EntityID: "binding", bc.EntityID: "in_conflict"}},
		{"eu-bank", euBank, "2025-03-01", map[string]string{ni.EntityID: "must_not_comply", bc.EntityID: "must_not_comply", sg.EntityID: "risk_only"}},
		{"us-bank", usBank, "2025-03-01", map[string]string{ni.EntityID: "binding", bc.EntityID: "binding", sg.EntityID: "binding", late.EntityID: "date_unknown"}},
		{"us-bank-after-first-seen", usBank, "2025-07-01", map[string]string{late.EntityID: "binding"}},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			rep, err := e.Exposure(c.op, d(c.date), []Listing{ni, bc, sg, ru, late})
			if err != nil {
				t.Fatal(err)
			}
			at := sections(t, rep)
			for id, want := range c.want {
				if at[id] != want {
					t.Errorf("%s in %q, want %q", id, at[id], want)
				}
			}
			for _, it := range rep.InConflict {
				if len(it.Conflicts) == 0 {
					t.Errorf("%s in conflict without its conflict", it.EntityID)
				}
			}
			for _, it := range rep.Binding {
				if len(it.Programs) == 0 {
					t.Errorf("%s without its programs", it.EntityID)
				}
			}
		})
	}
}

// TestNotifyWhenAffected: the duty to inform (art. 2 of Reg. 2271/96) arises
// where an annexed law affects the operator's economic or financial
// interests: as the profile says; unset, presumed for a screening's match,
// not for the entries of a report, which get a RISK saying why.
func TestNotifyWhenAffected(t *testing.T) {
	e, _ := Load()
	ni, bc := seen(nioc, "2020-01-01"), seen(bnc, "2020-01-01")
	bank := func(ia ...string) Operator {
		return Operator{Name: "acme-paris", Role: "bank", Incorporation: "FR", ActsIn: []string{"FR"}, InterestsAffected: ia}
	}
	for _, c := range []struct {
		id           string
		op           Operator
		counterparty bool
		listing      Listing
		notify       bool
	}{
		{"report-unset-iran", bank(), false, ni, false},
		{"report-unset-cuba", bank(), false, bc, false},
		{"match-unset-iran", bank(), true, ni, true},
		{"report-iran-affected", bank("IRAN"), false, ni, true},
		{"report-iran-affected-cuba-listing", bank("IRAN"), false, bc, false},
		{"report-all", bank("all"), false, bc, true},
		{"match-none", bank("none"), true, ni, false},
		{"report-ifsr-alias-of-iran", bank("IRAN"), false, seen(bankSepahIFSR, "2020-01-01"), true},
	} {
		t.Run(c.id, func(t *testing.T) {
			out, err := e.evaluate(c.op, d("2025-03-01"), c.listing, c.counterparty)
			if err != nil {
				t.Fatal(err)
			}
			k := kinds(out.obs)
			if !k["DO_NOT_COMPLY"] {
				t.Fatalf("no DO_NOT_COMPLY: %v", summary(out.obs))
			}
			if k["NOTIFY"] != c.notify {
				t.Errorf("NOTIFY %v, want %v: %v", k["NOTIFY"], c.notify, summary(out.obs))
			}
			if !c.notify {
				r := find(out.obs, "RISK")
				found := false
				for _, o := range out.obs {
					found = found || (o.Kind == "RISK" && strings.Contains(o.Explanation, "No duty to inform") && strings.Contains(o.Basis, "art. 2"))
				}
				if !found {
					t.Errorf("no RISK saying why no duty to inform arises: %+v", r)
				}
			}
		})
	}
	// A report does not issue NOTIFY for every Iran and Cuba listing.
	rep, err := e.Exposure(bank(), d("2025-03-01"), []Listing{ni, bc})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rep.String(), "NOTIFY") {
		t.Errorf("NOTIFY without affected interests:\n%s", rep)
	}
	// A program tag the data does not know is refused, not silently unmatched.
	if _, _, err := e.Evaluate(bank("IRAN", "MADE-UP"), d("2025-03-01"), ni); err == nil || !strings.Contains(err.Error(), "MADE-UP") {
		t.Errorf("unknown program accepted: %v", err)
	}
}

// TestInterestsAffectedProfile: the profile field is read from YAML and
// checked.
func TestInterestsAffectedProfile(t *testing.T) {
	base := "name: acme\nrole: bank\nincorporation: DE\n"
	for _, c := range []struct {
		yaml string
		want []string
		bad  string
	}{
		{base + "interests_affected: [IRAN, CUBA]\n", []string{"IRAN", "CUBA"}, ""},
		{base + "interests_affected: [all]\n", []string{"all"}, ""},
		{base, nil, ""},
		{base + "interests_affected: [all, IRAN]\n", nil, "stands alone"},
		{base + "interests_affected: [iran]\n", nil, "invalid"},
		{base + "interests_affected: yes\n", nil, "line 4"},
	} {
		op, err := ParseOperatorYAML("p.yaml", []byte(c.yaml))
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("%q: err %v, want %q", c.yaml, err, c.bad)
			}
			continue
		}
		if err != nil || !slices.Equal(op.InterestsAffected, c.want) {
			t.Errorf("%q: %v %v", c.yaml, op.InterestsAffected, err)
		}
	}
}

// TestNaturalOrder: ids sort with their numbers as numbers.
func TestNaturalOrder(t *testing.T) {
	ids := []string{"us-ofac-sdn:10", "us-ofac-sdn:9", "eu-fsf:EU.100.5", "us-ofac-sdn:100", "eu-fsf:EU.20.5", "us-ofac-sdn:0010", "un-sc:QDi.2", "un-sc:QDi.10"}
	sort.Slice(ids, func(i, j int) bool { return NaturalLess(ids[i], ids[j]) })
	want := []string{"eu-fsf:EU.20.5", "eu-fsf:EU.100.5", "un-sc:QDi.2", "un-sc:QDi.10", "us-ofac-sdn:9", "us-ofac-sdn:10", "us-ofac-sdn:0010", "us-ofac-sdn:100"}
	if !slices.Equal(ids, want) {
		t.Errorf("got %v\nwant %v", ids, want)
	}
	e, _ := Load()
	op, _ := ParseOperator("us-bank")
	var ls []Listing
	for _, n := range []string{"306", "36", "1208", "5"} {
		ls = append(ls, seen(sdn(n, "EXAMPLE "+n, "CUBA"), "2020-01-01"))
	}
	rep, _ := e.Exposure(op, d("2025-03-01"), ls)
	var got []string
	for _, it := range rep.Binding {
		got = append(got, it.EntityID)
	}
	if !slices.Equal(got, []string{"us-ofac-sdn:5", "us-ofac-sdn:36", "us-ofac-sdn:306", "us-ofac-sdn:1208"}) {
		t.Errorf("binding in order %v", got)
	}
}

// FuzzNaturalLess: the order is strict and total: of two different strings
// exactly one comes first.
func FuzzNaturalLess(f *testing.F) {
	for _, s := range [][2]string{{"a9", "a10"}, {"01", "1"}, {"x", "x0"}, {"", "0"}, {"sdn:007a", "sdn:7b"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := NaturalLess(a, b), NaturalLess(b, a)
		if ab && ba || (a != b) != (ab || ba) {
			t.Errorf("%q vs %q: %v %v", a, b, ab, ba)
		}
	})
}
