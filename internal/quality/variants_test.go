package quality

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/lexscreen/lexscreen"
)

func digest(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

func syntheticSlice(n int, seed int64) []*lexscreen.Entity {
	var es []*lexscreen.Entity
	Synthetic(n, seed, func(e *lexscreen.Entity) error { es = append(es, e); return nil })
	return es
}

// Golden digests: a change here means the benchmark inputs changed and
// earlier results are no longer comparable. Update deliberately.
const (
	goldenVariants  = "5267c81cf3363e8f"
	goldenSynthetic = "5fc1f2ce4793e8f2"
)

func TestVariantsDeterministic(t *testing.T) {
	es := testEntities(t)
	a := Variants(es, 300, 42)
	// the order of the input does not matter
	rev := append([]*lexscreen.Entity(nil), es...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b := Variants(rev, 300, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different variants")
	}
	if c := Variants(es, 300, 43); reflect.DeepEqual(a, c) {
		t.Fatal("different seeds, same variants")
	}
	if len(a) != 300 {
		t.Fatalf("%d variants", len(a))
	}
	if got := digest(t, a); got != goldenVariants {
		t.Errorf("variants digest %s, golden %s", got, goldenVariants)
	}
}

var knownKinds = map[string]bool{KindTypo: true, KindTranslit: true, KindReorder: true, KindDropMiddle: true,
	KindAddMiddle: true, KindInitials: true, KindNoDiacritics: true, KindCase: true, KindLegalForm: true,
	KindLegalFormRemoved: true, KindThe: true, KindVesselPrefix: true, KindDOB: true, KindDOBYear: true}

// osa is the optimal-string-alignment edit distance (Damerau-Levenshtein
// without repeated edits of a substring).
func osa(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			c := 1
			if x[i-1] == y[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// checkVariant checks the properties every variant must have.
func checkVariant(t *testing.T, byID map[string]*lexscreen.Entity, v Variant) {
	t.Helper()
	e := byID[v.EntityID]
	if e == nil {
		t.Fatalf("unknown entity %q", v.EntityID)
	}
	var src *lexscreen.Name
	for i := range e.Names {
		if e.Names[i].Full == v.Original {
			src = &e.Names[i]
		}
	}
	if src == nil || (src.Kind != lexscreen.NamePrimary && src.Kind != lexscreen.NameAlias) {
		t.Fatalf("%+v: not from a primary or strong alias name", v)
	}
	if v.Query.Name == v.Original || strings.TrimSpace(v.Query.Name) == "" || v.Kind == "" {
		t.Fatalf("%+v: no variation", v)
	}
	if !isLatin(v.Query.Name) || v.Schema != e.Schema {
		t.Fatalf("%+v", v)
	}
	for _, k := range v.Kinds() {
		if !knownKinds[k] {
			t.Fatalf("%+v: kind %q", v, k)
		}
	}
	if v.Query.BirthDate != "" {
		if e.Schema != lexscreen.SchemaPerson || len(e.BirthDates) == 0 {
			t.Fatalf("%+v: dob without a listed dob", v)
		}
		if _, err := lexscreen.ParseISODate(v.Query.BirthDate); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(e.BirthDates[0].From.String(), v.Query.BirthDate) {
			t.Fatalf("%+v: dob not the listed one %v", v, e.BirthDates)
		}
	}
	nk := len(v.Kinds())
	if v.Query.BirthDate != "" {
		nk--
	}
	if nk < 1 || nk > 2 {
		t.Fatalf("%+v: %d variations", v, nk)
	}
	// a lone typo: same tokens, one edited by at most one edit when
	// shorter than 8 letters, two otherwise.
	if strings.TrimSuffix(strings.TrimSuffix(v.Kind, "+"+KindDOB), "+"+KindDOBYear) == KindTypo {
		ot := strings.Fields(strings.ReplaceAll(v.Original, ",", ""))
		qt := strings.Fields(strings.ReplaceAll(v.Query.Name, ",", ""))
		if len(ot) != len(qt) {
			t.Fatalf("%+v: tokens changed", v)
		}
		changed := 0
		for i := range ot {
			if ot[i] == qt[i] {
				continue
			}
			changed++
			d := osa(strings.ToLower(ot[i]), strings.ToLower(qt[i]))
			if d < 1 || d > 2 || d == 2 && len([]rune(ot[i])) < 8 || len([]rune(ot[i])) < 4 {
				t.Fatalf("%+v: %q -> %q distance %d", v, ot[i], qt[i], d)
			}
		}
		if changed != 1 {
			t.Fatalf("%+v: %d tokens changed", v, changed)
		}
	}
	for _, tok := range strings.Fields(v.Query.Name) {
		if letters(tok) == 0 && !unicode.IsPunct([]rune(tok)[0]) {
			t.Fatalf("%+v: token %q", v, tok)
		}
	}
}

func TestVariantsProperties(t *testing.T) {
	es := append(testEntities(t), syntheticSlice(4000, 9)...)
	// add weak aliases and former names that must never be used.
	es = append(es, &lexscreen.Entity{ID: "w:1", Schema: lexscreen.SchemaPerson, Names: []lexscreen.Name{
		{Full: "Weakly Named", Kind: lexscreen.NameWeakAlias}, {Full: "Formerly Named", Kind: lexscreen.NameFormer}}})
	byID := map[string]*lexscreen.Entity{}
	for _, e := range es {
		byID[e.ID] = e
	}
	vs := Variants(es, 3000, 5)
	if len(vs) != 3000 {
		t.Fatalf("%d variants", len(vs))
	}
	kinds := map[string]int{}
	schemas := map[lexscreen.Schema]int{}
	for _, v := range vs {
		checkVariant(t, byID, v)
		for _, k := range v.Kinds() {
			kinds[k]++
		}
		schemas[v.Schema]++
	}
	for k := range knownKinds {
		if kinds[k] == 0 {
			t.Errorf("kind %q never generated", k)
		}
	}
	if schemas[lexscreen.SchemaPerson] < 1500 || schemas[lexscreen.SchemaOrganization] < 700 || schemas[lexscreen.SchemaVessel] == 0 {
		t.Errorf("schemas %v", schemas)
	}
	// about half the persons with a date of birth carry it
	var withDOB, dobShown int
	for _, v := range vs {
		if v.Schema == lexscreen.SchemaPerson && len(byID[v.EntityID].BirthDates) > 0 {
			withDOB++
			if v.Query.BirthDate != "" {
				dobShown++
			}
		}
	}
	if r := float64(dobShown) / float64(withDOB); r < 0.4 || r > 0.6 {
		t.Errorf("dob share %.2f", r)
	}
	t.Logf("kinds %v schemas %v", kinds, schemas)
}

// FuzzVariants checks the variant properties on random synthetic entities.
func FuzzVariants(f *testing.F) {
	f.Add(int64(1), int64(2))
	f.Add(int64(77), int64(-3))
	f.Fuzz(func(t *testing.T, corpusSeed, seed int64) {
		es := syntheticSlice(50, corpusSeed)
		byID := map[string]*lexscreen.Entity{}
		for _, e := range es {
			byID[e.ID] = e
		}
		for _, v := range Variants(es, 40, seed) {
			checkVariant(t, byID, v)
		}
	})
}

func TestTypo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		for _, tok := range []string{"Vladimir", "PUTIN", "putin", "Lavrov", "Alexandrovna"} {
			n := 1 + i%2
			s, ok := typo(r, tok, n)
			if !ok {
				continue
			}
			d := osa(strings.ToLower(tok), strings.ToLower(s))
			if d < 1 || d > n || len([]rune(tok)) < 8 && d > 1 && n == 1 {
				t.Fatalf("%q -> %q (%d edits asked, distance %d)", tok, s, n, d)
			}
			if tok == strings.ToUpper(tok) && s != strings.ToUpper(s) {
				t.Fatalf("case lost: %q -> %q", tok, s)
			}
		}
	}
}

func TestTranslitWord(t *testing.T) {
	for in, want := range map[string]string{
		"mohammed": "muhammad", "yusuf": "yousef", "abdel": "abdul", "al-baghdadi": "albaghdadi",
		"lavrov": "lavroff", "medvedev": "medvediev", "sergey": "sergei", "khaled": "haled", "philip": "filip",
		"schmidt": "shmidt", "rasheed": "rashid", "kostya": "kostia", "petrov": "petrow", "yuri": "juri",
	} {
		got := translitWord(in)
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("translitWord(%q) = %v, want %q among them", in, got, want)
		}
	}
}

func TestLegalForms(t *testing.T) {
	m := findForm(strings.Fields("Gazprom Neft JSC"))
	if m == nil || m.spelling != "jsc" || m.start != 2 {
		t.Fatalf("%+v", m)
	}
	m = findForm(strings.Fields("Limited Liability Company Sovfracht"))
	if m == nil || m.spelling != "limited liability company" || m.start != 0 || m.end != 3 {
		t.Fatalf("%+v", m)
	}
	if m := findForm(strings.Fields("Huawei Technologies Co., Ltd.")); m == nil || m.spelling != "co ltd" {
		t.Fatalf("%+v", m)
	}
	if findForm([]string{"LLC"}) != nil {
		t.Fatal("a name that is only a legal form")
	}
}

func TestRecall(t *testing.T) {
	s := newStub(t)
	vs := Variants(s.index, 200, 3)
	rep := Recall(vs, s)
	if rep.Variants != 200 || rep.Found == 0 || rep.Found == 200 || rep.Top1 > rep.Found {
		t.Fatalf("%+v", rep)
	}
	n := 0
	for _, c := range rep.BySchema {
		n += c.Total
	}
	if n != 200 || len(rep.Misses) != min(50, 200-rep.Found) {
		t.Fatalf("schema total %d, misses %d", n, len(rep.Misses))
	}
	if rep.ByKind[KindCase].Recall != 1 && rep.ByKind[KindCase].Total > 0 {
		// case alone never hurts the token-set stub, but combined kinds may
		t.Logf("case recall %.2f", rep.ByKind[KindCase].Recall)
	}
	roundTrip(t, rep)
}

func TestSynthetic(t *testing.T) {
	a := syntheticSlice(2000, 11)
	b := syntheticSlice(2000, 11)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different corpus")
	}
	if reflect.DeepEqual(a, syntheticSlice(2000, 12)) {
		t.Fatal("different seeds, same corpus")
	}
	if got := digest(t, a); got != goldenSynthetic {
		t.Errorf("synthetic digest %s, golden %s", got, goldenSynthetic)
	}
	if !reflect.DeepEqual(SyntheticEntity(1234, 11), a[1233]) || a[0].ID != "synthetic:1" {
		t.Fatal("SyntheticEntity(i) is not entity i")
	}
	var persons, aliases, dobs, nonLatin int
	ids := map[string]bool{}
	for _, e := range a {
		if ids[e.ID] {
			t.Fatalf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		if e.Caption() == "" || e.Names[0].Kind != lexscreen.NamePrimary || e.Source != "synthetic" {
			t.Fatalf("%+v", e)
		}
		if e.Schema == lexscreen.SchemaPerson {
			persons++
			if len(e.BirthDates) > 0 {
				dobs++
			}
			if n := len(strings.Fields(strings.ReplaceAll(e.Names[0].Full, ",", " "))); n < 2 || n > 4 {
				t.Fatalf("%d tokens: %q", n, e.Names[0].Full)
			}
			if e.Names[0].Script != "" {
				nonLatin++
			}
		} else if e.Schema != lexscreen.SchemaOrganization {
			t.Fatalf("schema %q", e.Schema)
		}
		if len(e.Names) > 1 {
			aliases++
		}
	}
	share := func(n int) float64 { return float64(n) / 2000 }
	if p := share(persons); p < 0.66 || p > 0.74 {
		t.Errorf("persons %.2f", p)
	}
	if p := share(aliases); p < 0.25 || p > 0.35 {
		t.Errorf("aliases %.2f", p)
	}
	if p := float64(dobs) / float64(persons); p < 0.75 || p > 0.85 {
		t.Errorf("dobs %.2f", p)
	}
	if nonLatin == 0 {
		t.Error("no non-Latin names")
	}
}

func TestSyntheticMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	start := time.Now()
	n := 0
	stop := errStop{}
	err := Synthetic(1_000_000, 1, func(e *lexscreen.Entity) error {
		n++
		if n == 1_000_000 && e.ID != "synthetic:1000000" {
			return stop
		}
		return nil
	})
	if err != nil || n != 1_000_000 {
		t.Fatalf("%v after %d", err, n)
	}
	t.Logf("1,000,000 synthetic entities in %v", time.Since(start))
	// errors stop the stream
	n = 0
	if err := Synthetic(10, 1, func(*lexscreen.Entity) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("%v %d", err, n)
	}
}

type errStop struct{}

func (errStop) Error() string { return "stop" }
