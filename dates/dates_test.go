package dates

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

// today is the day the table tests read as of (two-digit years, year bound).
var today = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

func day(y, m, d int) lexscreen.PartialDate { return lexscreen.PartialDate{Year: y, Month: m, Day: d} }

func TestReadForms(t *testing.T) {
	type want struct {
		value string   // Value.String(); "" when absent
		cands []string // Candidates, oldest first
		note  string   // a substring of Note; "" means Note must be empty
	}
	cases := []struct {
		in   string
		want want
	}{
		// ISO and its relatives
		{"1970-03-30", want{value: "1970-03-30"}},
		{"1970-03", want{value: "1970-03"}},
		{"1970", want{value: "1970"}},
		{" 1970 ", want{value: "1970"}},
		{"1952-10-7", want{value: "1952-10-07"}},
		{"1952-1-07", want{value: "1952-01-07"}},
		{"1952-1-7", want{value: "1952-01-07"}},
		{"1970-03-30T00:00:00Z", want{value: "1970-03-30"}},
		{"1970-03-30T00:00:00.000+02:00", want{value: "1970-03-30"}},
		{"1970-03-30 00:00:00", want{value: "1970-03-30"}},
		{"1960/08/31", want{value: "1960-08-31"}},
		{"1960.08.31", want{value: "1960-08-31"}},
		{"1960/8", want{value: "1960-08"}},
		{"08/1960", want{value: "1960-08"}},
		{"19450328", want{value: "1945-03-28"}},
		{"28031945", want{value: "1945-03-28"}},
		{"１９７０－０３－３０", want{value: "1970-03-30"}}, // fullwidth
		// day and month in either order, settled by a number over 12
		{"03/30/1970", want{value: "1970-03-30"}},
		{"30/03/1970", want{value: "1970-03-30"}},
		{"31-08-1960", want{value: "1960-08-31"}},
		{"12-31-1960", want{value: "1960-12-31"}},
		{"05.10.1976", want{value: "1976-10-05"}}, // dots: day first
		{"5.1.1976", want{value: "1976-01-05"}},
		{"31.08.1960", want{value: "1960-08-31"}},
		{"05/05/1970", want{value: "1970-05-05"}},
		{"00/00/1994", want{value: "1994"}},
		{"00/05/1994", want{value: "1994-05"}},
		{"31 08 1960", want{value: "1960-08-31"}},
		// ambiguous
		{"03/04/1970", want{value: "1970", cands: []string{"1970-03-04", "1970-04-03"}, note: "day and month order is ambiguous: 1970-03-04 or 1970-04-03"}},
		{"03-04-1970", want{value: "1970", cands: []string{"1970-03-04", "1970-04-03"}, note: "ambiguous"}},
		{"8/1/84", want{value: "1984", cands: []string{"1984-01-08", "1984-08-01"}, note: "two-digit year 84 read as 1984"}},
		// two-digit years
		{"31/08/60", want{value: "1960-08-31", note: "two-digit year 60 read as 1960"}},
		{"31/08/05", want{value: "2005-08-31", note: "read as 2005"}},
		{"31/12/26", want{value: "1926-12-31", note: "read as 1926"}}, // 2026-12-31 is after today
		{"01/01/26", want{value: "2026-01-01", note: "read as 2026"}},
		{"Sep-77", want{value: "1977-09", note: "read as 1977"}},
		{"24-Oct-66", want{value: "1966-10-24", note: "read as 1966"}},
		// month names
		{"7 September 1960", want{value: "1960-09-07"}},
		{"7 september 1960", want{value: "1960-09-07"}},
		{"24 Oct 1966", want{value: "1966-10-24"}},
		{"24 Oct. 1966", want{value: "1966-10-24"}},
		{"24-OCT-1966", want{value: "1966-10-24"}},
		{"Oct 24, 1966", want{value: "1966-10-24"}},
		{"October 24th, 1966", want{value: "1966-10-24"}},
		{"the 24th of October 1966", want{value: "1966-10-24"}},
		{"Sept. 7, 1960", want{value: "1960-09-07"}},
		{"September 1960", want{value: "1960-09"}},
		{"Sep 1960", want{value: "1960-09"}},
		{"1960 September 7", want{value: "1960-09-07"}},
		{"1er janvier 1970", want{value: "1970-01-01"}},
		{"14 juillet 1989", want{value: "1989-07-14"}},
		{"3 février 1975", want{value: "1975-02-03"}},
		{"3 fevrier 1975", want{value: "1975-02-03"}},
		{"3 févr. 1975", want{value: "1975-02-03"}},
		{"15 août 1969", want{value: "1969-08-15"}},
		{"1 déc 1950", want{value: "1950-12-01"}},
		{"5 de mayo de 1980", want{value: "1980-05-05"}},
		{"1º de enero de 1960", want{value: "1960-01-01"}},
		{"10 dic 1955", want{value: "1955-12-10"}},
		{"3. März 1975", want{value: "1975-03-03"}},
		{"3. Maerz 1975", want{value: "1975-03-03"}},
		{"3. Mrz. 1975", want{value: "1975-03-03"}},
		{"17. Dezember 1948", want{value: "1948-12-17"}},
		{"12 de março de 1981", want{value: "1981-03-12"}},
		{"12 de MARÇO de 1981", want{value: "1981-03-12"}},
		{"2 out 1971", want{value: "1971-10-02"}},
		{"7 сентября 1960", want{value: "1960-09-07"}},
		{"7 сентября 1960 г.", want{value: "1960-09-07"}},
		{"7 СЕНТЯБРЯ 1960", want{value: "1960-09-07"}},
		{"1 мая 1945", want{value: "1945-05-01"}},
		{"май 1945", want{value: "1945-05"}},
		{"12 сент. 1960", want{value: "1960-09-12"}},
		{"5 травня 1980", want{value: "1980-05-05"}},
		{"12 maggio 1964", want{value: "1964-05-12"}},
		{"12 mei 1964", want{value: "1964-05-12"}},
		{"12 Mayıs 1964", want{value: "1964-05-12"}},
		// circa
		{"~1967", want{value: "~1967"}},
		{"~ 1967", want{value: "~1967"}},
		{"c. 1967", want{value: "~1967"}},
		{"c.1967", want{value: "~1967"}},
		{"c1967", want{value: "~1967"}},
		{"ca 1967", want{value: "~1967"}},
		{"ca. 1967", want{value: "~1967"}},
		{"circa 1967", want{value: "~1967"}},
		{"Circa March 1967", want{value: "~1967-03"}},
		{"approx. 1967", want{value: "~1967"}},
		{"approximately 1967", want{value: "~1967"}},
		{"about 1967", want{value: "~1967"}},
		{"около 1967", want{value: "~1967"}},
		{"1967?", want{value: "~1967"}},
		{"7 Septembre 1960 (?)", want{value: "~1960-09-07"}},
		{"1967 (?)", want{value: "~1967"}},
		{"1967 (approx.)", want{value: "~1967"}},
		{"~03/04/1970", want{value: "~1970", cands: []string{"1970-03-04", "1970-04-03"}, note: "ambiguous"}},
		// ranges
		{"1960-1962", want{value: "1960..1962"}},
		{"1960-62", want{value: "1960..1962"}},
		{"1998/99", want{value: "1998..1999"}},
		{"1960-11", want{value: "1960-11"}},
		{"1960 - 1962", want{value: "1960..1962"}},
		{"1960–1962", want{value: "1960..1962"}},
		{"1960/1962", want{value: "1960..1962"}},
		{"1960..1962", want{value: "1960..1962"}},
		{"1960 to 1962", want{value: "1960..1962"}},
		{"between 1960 and 1962", want{value: "1960..1962"}},
		{"Between 1960 and 1962", want{value: "1960..1962"}},
		{"entre 1960 et 1962", want{value: "1960..1962"}},
		{"entre 1960 y 1962", want{value: "1960..1962"}},
		{"zwischen 1960 und 1962", want{value: "1960..1962"}},
		{"from May 1960 to June 1961", want{value: "1960-05..1961-06"}},
		{"1960-01-01 - 1960-12-31", want{value: "1960-01-01..1960-12-31"}},
		{"circa 1960-1962", want{value: "~1960..1962"}},
		{"1960 to 1960", want{value: "1960"}},
	}
	for _, c := range cases {
		r, err := read(c.in, today)
		if err != nil {
			t.Errorf("read(%q): %v", c.in, err)
			continue
		}
		if r.Absent {
			t.Errorf("read(%q): absent", c.in)
			continue
		}
		if got := r.Value.String(); got != c.want.value {
			t.Errorf("read(%q).Value = %q, want %q", c.in, got, c.want.value)
		}
		var cands []string
		for _, d := range r.Candidates {
			cands = append(cands, d.String())
		}
		if strings.Join(cands, ",") != strings.Join(c.want.cands, ",") {
			t.Errorf("read(%q).Candidates = %v, want %v", c.in, cands, c.want.cands)
		}
		if c.want.note == "" && r.Note != "" || !strings.Contains(r.Note, c.want.note) {
			t.Errorf("read(%q).Note = %q, want %q", c.in, r.Note, c.want.note)
		}
		if r.Value.Text != strings.TrimSpace(c.in) {
			t.Errorf("read(%q).Value.Text = %q", c.in, r.Value.Text)
		}
	}
}

func TestReadAbsent(t *testing.T) {
	for _, s := range []string{"", "   ", "\t", "unknown", "Unknown", "UNKNOWN", "N/A", "n/a", "NA", "n.a.",
		"-0-", "-", "--", "?", "none", "None", "nil", "null", "NULL", "not known", "Not Known", "inconnu",
		"desconocido", "unbekannt", "неизвестно", "00/00/0000", "0000-00-00", "xx/xx/xxxx"} {
		r, err := read(s, today)
		if err != nil || !r.Absent || r.Dates() != nil {
			t.Errorf("read(%q) = %+v, %v; want absent", s, r, err)
		}
	}
}

func TestReadErrors(t *testing.T) {
	for _, s := range []string{"31/31/1970", "abc", "1970-02-30", "1970-13-01", "13/13/1970", "02/30/1970",
		"7 Septembre 1960 et quelque", "7 Septem 1960 xx", "1700", "1799-01-01", "2099", "3000-01-01",
		"7 September", "September", "1962-1960", "between 1962 and 1960", "12345", "1970-03-30-04",
		"31.31.1970", "Ma 1960", "Ju 1960", "1/2/3", "19701301", "0/0/70x", "31 feb 1970",
		"Friday", "1970 or 1971", "1970-3-30-", "--1970", "7 September 1960 7 September 1960"} {
		_, err := read(s, today)
		if err == nil {
			r, _ := read(s, today)
			t.Errorf("read(%q) = %+v, want an error", s, r)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, strings.ReplaceAll(`"`+s+`"`, "\t", `\t`)) {
			t.Errorf("read(%q): error %q does not quote the whole value", s, msg)
		}
		if !strings.Contains(msg, "understood:") || !strings.Contains(msg, "31/08/1960") {
			t.Errorf("read(%q): error %q does not list the forms understood", s, msg)
		}
	}
}

func TestReadYearBound(t *testing.T) {
	if _, err := read("2027", today); err != nil {
		t.Errorf("next year refused: %v", err)
	}
	if _, err := read("1800", today); err != nil {
		t.Errorf("1800 refused: %v", err)
	}
	for _, s := range []string{"2028", "1799", "14 juillet 1789"} {
		if _, err := read(s, today); err == nil || !strings.Contains(err.Error(), "outside 1800..2027") {
			t.Errorf("read(%q): %v, want year outside 1800..2027", s, err)
		}
	}
}

func TestDates(t *testing.T) {
	r, _ := read("~03/04/1970", today)
	ds := r.Dates()
	if len(ds) != 2 || ds[0].From != day(1970, 3, 4) || ds[1].From != day(1970, 4, 3) || !ds[0].Circa || !ds[1].Circa {
		t.Errorf("Dates() = %+v", ds)
	}
	r, _ = read("1960-1962", today)
	if ds := r.Dates(); len(ds) != 1 || ds[0].From.Year != 1960 || ds[0].To.Year != 1962 {
		t.Errorf("Dates() = %+v", ds)
	}
}

func TestWarning(t *testing.T) {
	if w := Warning("dob", "1970-03-30"); w != nil {
		t.Errorf("ISO date warned: %+v", w)
	}
	if w := Warning("dob", "7 September 1960"); w != nil {
		t.Errorf("settled date warned: %+v", w)
	}
	if w := Warning("dob", "N/A"); w != nil {
		t.Errorf("absent date warned: %+v", w)
	}
	w := Warning("dob", "03/04/1970")
	if w == nil || w.Field != "dob" || w.Value != "03/04/1970" || !strings.Contains(w.Message, "1970-03-04 or 1970-04-03") {
		t.Errorf("ambiguous date: %+v", w)
	}
	w = Warning("dob", "31/31/1970")
	if w == nil || !strings.HasPrefix(w.Message, `could not read the date of birth: cannot read "31/31/1970" as a date`) ||
		!strings.HasSuffix(w.Message, "; screened without it") {
		t.Errorf("unreadable date: %+v", w)
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"1970-03-30", "1952-10-7", "03/30/1970", "8/1/84", "05.10.1976", "31-08-1960",
		"7 September 1960", "24 Oct 1966", "19450328", "~1967", "unknown", "N/A", "between 1960 and 1962",
		"1960/1962", "5 de mayo de 1980", "7 сентября 1960", "1970-03-30T00:00:00Z", "c. 1967", "Oct 24, 1966"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := read(s, today)
		if err != nil {
			if !strings.Contains(err.Error(), "understood:") {
				t.Fatalf("read(%q): error without the forms: %v", s, err)
			}
			return
		}
		if r.Absent {
			if !r.Value.IsZero() || len(r.Candidates) > 0 {
				t.Fatalf("read(%q): absent with a value %+v", s, r)
			}
			return
		}
		ds := r.Dates()
		if len(ds) == 0 {
			t.Fatalf("read(%q): neither absent nor a date: %+v", s, r)
		}
		for _, d := range ds {
			for _, p := range []lexscreen.PartialDate{d.From, d.To} {
				if p.IsZero() {
					continue
				}
				if !p.Valid() || p.Year < 1800 || p.Year > today.Year()+1 || (p.Day != 0 && p.Month == 0) {
					t.Fatalf("read(%q): invalid date %+v", s, p)
				}
			}
			if !d.To.IsZero() && d.To.Last().Before(d.From.First()) {
				t.Fatalf("read(%q): range ends before it starts: %+v", s, d)
			}
		}
		if len(r.Candidates) == 1 {
			t.Fatalf("read(%q): one candidate", s)
		}
		if v := r.Value; len(r.Candidates) == 0 && v.To.IsZero() && !v.Circa && v.From.Precision() == "day" {
			back, err := read(v.From.String(), today)
			if err != nil || back.Value.From != v.From || back.Note != "" || len(back.Candidates) > 0 {
				t.Fatalf("read(%q) = %s, but reading that back gives %+v, %v", s, v.From, back, err)
			}
		}
	})
}

// The plain-ISO fast path of read gives what the general reader gives, for
// every precision, out-of-range parts and years outside the bound.
func TestPlainISOAsGeneral(t *testing.T) {
	today := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for y := 1790; y <= 2030; y += 7 {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d += 3 {
				for _, s := range []string{fmt.Sprintf("%04d-%02d-%02d", y, m, d), fmt.Sprintf("%04d-%02d", y, m), fmt.Sprintf("%04d", y)} {
					fast, err1 := read(s, today)
					rd := reader{today: today}
					slow, err2 := rd.value(normalize(s))
					if err2 == nil {
						slow.Value.Text = s
					}
					if (err1 == nil) != (err2 == nil) || (err1 == nil && !reflect.DeepEqual(fast.Value, slow.Value)) {
						t.Errorf("%q: fast %+v %v, general %+v %v", s, fast, err1, slow, err2)
					}
				}
			}
		}
	}
}
