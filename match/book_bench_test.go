package match

import (
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/cputime"
)

// bookGiven are given names of several cultures and scripts, common enough
// that many customers of a book share them.
var bookGiven = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "Elizabeth", "Susan",
	"María", "José", "Juan", "Carmen", "Luis", "Lucía", "Hans", "Ursula", "Jürgen", "Sabine", "Jean", "Sophie", "Camille",
	"Oleksandr", "Olena", "Iryna", "Taras", "Mohammed", "Fatima", "Omar", "Aisha", "Youssef", "Layla", "Wei", "Fang",
	"Xiaoming", "Hiroshi", "Yuki", "Rahul", "Priya", "Anjali", "Mehmet", "Ayşe", "Zeynep", "Иван", "Ольга", "Наталья"}

// bookFamily are common family names; bookName mixes them with made-up
// rarer ones, as a real book's long tail of surnames.
var bookFamily = []string{"Smith", "Johnson", "Williams", "Brown", "Miller", "Taylor", "Clark", "García", "Fernández",
	"Rodríguez", "Müller", "Schmidt", "Fischer", "Dubois", "Durand", "Kovalenko", "Shevchenko", "Haddad", "Khoury",
	"Nasser", "Wang", "Zhang", "Sato", "Tanaka", "Sharma", "Patel", "Yılmaz", "Demir", "Смирнов", "Кузнецов"}

// inventedSurname makes up a Latin-script surname from syllables.
func inventedSurname(r *rand.Rand) string {
	on := strings.Fields("b c d f g h k l m n p r s t v w z br ch dr gr kr pl sh st tr")
	nu := strings.Fields("a e i o u ai ea ie ou")
	co := strings.Fields("n r s l k nd rt ck ll tz ng")
	var b strings.Builder
	for range 2 + r.IntN(2) {
		b.WriteString(on[r.IntN(len(on))])
		b.WriteString(nu[r.IntN(len(nu))])
	}
	b.WriteString(co[r.IntN(len(co))])
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// bookQueries returns n persons named as a customer book's (given names
// that repeat, half the surnames made up, some middle names, dates of
// birth and countries), few of whom are listed.
func bookQueries(seed uint64, n int) []lexscreen.Query {
	r := rand.New(rand.NewPCG(seed, 7))
	qs := make([]lexscreen.Query, 0, n)
	for range n {
		given, family := bookGiven[r.IntN(len(bookGiven))], bookFamily[r.IntN(len(bookFamily))]
		if r.IntN(2) == 0 {
			family = inventedSurname(r)
		}
		name := given + " " + family
		if r.IntN(4) == 0 {
			name = given + " " + bookGiven[r.IntN(len(bookGiven))] + " " + family
		}
		q := lexscreen.Query{Name: name, Schema: lexscreen.SchemaPerson}
		if r.IntN(2) == 0 {
			q.BirthDate = "19" + string(rune('4'+r.IntN(6))) + string(rune('0'+r.IntN(10))) + "-06-15"
		}
		if r.IntN(3) == 0 {
			q.Countries = []string{[]string{"GB", "US", "DE", "FR", "ES", "UA", "AE", "CN", "JP", "IN", "TR"}[r.IntN(11)]}
		}
		qs = append(qs, q)
	}
	return qs
}

// BenchmarkScreenBook screens a customer book's persons, most of them on
// no list and a long tail of their surnames seen once: the cost of a full
// re-screen per subject.
func BenchmarkScreenBook(b *testing.B) {
	ix, _ := bundledIndex(b)
	m := New(ix)
	qs := bookQueries(1, 200000)
	b.ResetTimer()
	cpu := cputime.Self()
	i := 0
	for b.Loop() {
		m.Screen(qs[i%len(qs)])
		i++
	}
	reportCPU(b, cpu)
}

// BenchmarkScreenBookParallel is BenchmarkScreenBook on all cores.
func BenchmarkScreenBookParallel(b *testing.B) {
	ix, _ := bundledIndex(b)
	m := New(ix)
	qs := bookQueries(1, 200000)
	b.ResetTimer()
	cpu := cputime.Self()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Screen(qs[int(next.Add(1)-1)%len(qs)])
		}
	})
	reportCPU(b, cpu)
}
