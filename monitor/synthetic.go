package monitor

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Given and family names of several cultures and scripts, for synthetic
// books: common enough that many customers share them, as in a real book.
var syntheticNames = []struct{ given, family []string }{
	{[]string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David", "Susan", "Thomas", "Sarah", "Daniel", "Emily"},
		[]string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Clark", "Lewis", "Walker", "Hall", "Young", "Wright", "Green", "Baker", "Turner"}},
	{[]string{"María", "José", "Juan", "Carmen", "Luis", "Ana", "Carlos", "Lucía", "Javier", "Elena", "Miguel", "Sofía"},
		[]string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno"}},
	{[]string{"Hans", "Anna", "Peter", "Ursula", "Klaus", "Monika", "Jürgen", "Sabine", "Stefan", "Petra", "Lukas", "Lena"},
		[]string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter"}},
	{[]string{"Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Nicolas", "Julie", "Antoine", "Claire"},
		[]string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Fournier", "Girard"}},
	{[]string{"Иван", "Ольга", "Сергей", "Наталья", "Андрей", "Елена", "Дмитрий", "Татьяна", "Михаил", "Ирина"},
		[]string{"Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов"}},
	{[]string{"Oleksandr", "Olena", "Andriy", "Iryna", "Mykola", "Oksana", "Vasyl", "Natalia", "Taras", "Yulia"},
		[]string{"Kovalenko", "Bondarenko", "Tkachenko", "Shevchenko", "Kravchenko", "Melnyk", "Boyko", "Moroz", "Lysenko", "Marchenko"}},
	{[]string{"محمد", "أحمد", "فاطمة", "علي", "عائشة", "حسن", "مريم", "خالد", "يوسف", "زينب"},
		[]string{"العلي", "الحسن", "السعيد", "المصري", "الخطيب", "النجار", "الحداد", "الشامي", "البغدادي", "العمر"}},
	{[]string{"Mohammed", "Ahmed", "Fatima", "Omar", "Aisha", "Hassan", "Mariam", "Khalid", "Youssef", "Layla", "Ibrahim", "Nour"},
		[]string{"Haddad", "Khoury", "Nasser", "Saleh", "Mansour", "Hamdan", "Aziz", "Rahman", "Farouk", "Karimi", "Sabbagh", "Jaber"}},
	{[]string{"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇"},
		[]string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"}},
	{[]string{"Wei", "Fang", "Na", "Min", "Jing", "Qiang", "Lei", "Yang", "Yan", "Yong", "Xiaoming", "Jianguo"},
		[]string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"}},
	{[]string{"민준", "서연", "지호", "하은", "도윤", "지우"}, []string{"김", "이", "박", "최", "정", "강"}},
	{[]string{"Hiroshi", "Yuki", "Takashi", "Akiko", "Kenji", "Naoko", "Satoshi", "Emi"},
		[]string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"}},
	{[]string{"Rahul", "Priya", "Amit", "Sunita", "Vikram", "Anjali", "Ravi", "Deepa", "Arjun", "Kavita"},
		[]string{"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi"}},
	{[]string{"Mehmet", "Ayşe", "Mustafa", "Fatma", "Emre", "Zeynep", "Burak", "Elif"},
		[]string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk"}},
	{[]string{"Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Κώστας", "Δήμητρα"},
		[]string{"Παπαδόπουλος", "Γεωργίου", "Οικονόμου", "Νικολάου", "Δημητρίου", "Βασιλείου"}},
}

var syntheticFirms = struct{ words, forms []string }{
	[]string{"Global", "Northern", "Atlas", "Blue", "River", "Summit", "Pacific", "Golden", "Alpine", "Crescent", "Harbor", "Union",
		"Trading", "Logistics", "Shipping", "Holdings", "Capital", "Energy", "Textiles", "Foods", "Metals", "Systems", "Partners", "Marine"},
	[]string{"Ltd", "LLC", "GmbH", "S.A.", "Inc.", "B.V.", "S.r.l.", "OOO", "JSC", "Co."},
}

// SyntheticBook returns n subjects named as a real book's customers are:
// persons of many cultures and scripts (some with a date of birth and a
// country) and firms, with the names of listed persons and organisations
// of listed spelt otherwise (a letter changed, dropped or doubled, a word
// left out, the words in another order) sprinkled in at rate (0.001: one
// subject in a thousand). The same seed gives the same book. Subjects are
// named "S0000001" ... in book order; Planted returns which were
// variants of which listed entity.
func SyntheticBook(seed uint64, n int, listed []*lexscreen.Entity, rate float64) (subjects []lexscreen.Subject, planted map[string]string) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var pool []*lexscreen.Entity
	for _, e := range listed {
		if (e.Schema == lexscreen.SchemaPerson || e.Schema == lexscreen.SchemaOrganization) && e.Caption() != "" {
			pool = append(pool, e)
		}
	}
	planted = map[string]string{}
	subjects = make([]lexscreen.Subject, 0, n)
	for i := range n {
		s := lexscreen.Subject{ID: fmt.Sprintf("S%07d", i+1)}
		switch {
		case len(pool) > 0 && r.Float64() < rate:
			e := pool[r.IntN(len(pool))]
			name := e.Names[r.IntN(len(e.Names))].Full
			s.Query = lexscreen.Query{Name: SpellingVariant(r, name), Schema: e.Schema}
			if len(e.BirthDates) > 0 && !e.BirthDates[0].From.IsZero() && r.IntN(2) == 0 {
				s.Query.BirthDate = e.BirthDates[0].From.String()
			}
			planted[s.ID] = e.ID
		case r.IntN(10) == 0:
			w := syntheticFirms.words
			s.Query = lexscreen.Query{Name: w[r.IntN(12)] + " " + w[12+r.IntN(12)] + " " + syntheticFirms.forms[r.IntN(len(syntheticFirms.forms))],
				Schema: lexscreen.SchemaOrganization}
		default:
			c := syntheticNames[r.IntN(len(syntheticNames))]
			given, family := c.given[r.IntN(len(c.given))], c.family[r.IntN(len(c.family))]
			if r.IntN(2) == 0 && !strings.ContainsFunc(family, func(r rune) bool { return r >= 0x250 }) {
				family = rareSurname(r) // a book's long tail of rarer surnames
			}
			name := given + " " + family
			if r.IntN(4) == 0 {
				name = given + " " + c.given[r.IntN(len(c.given))] + " " + family
			}
			if strings.ContainsFunc(family, func(r rune) bool { return r >= 0x3000 }) {
				name = family + given // Chinese, Korean: surname first, no space
			}
			s.Query = lexscreen.Query{Name: name, Schema: lexscreen.SchemaPerson}
			if r.IntN(2) == 0 {
				s.Query.BirthDate = fmt.Sprintf("%d-%02d-%02d", 1940+r.IntN(65), 1+r.IntN(12), 1+r.IntN(28))
			}
			if r.IntN(3) == 0 {
				s.Query.Countries = []string{[]string{"GB", "US", "DE", "FR", "ES", "RU", "UA", "AE", "CN", "KR", "JP", "IN", "TR", "GR"}[r.IntN(14)]}
			}
		}
		s.Fingerprint = lexscreen.SubjectFingerprint(s.Query)
		subjects = append(subjects, s)
	}
	return subjects, planted
}

// rareSurname makes up a Latin-script surname from syllables: a book
// holds far more distinct surnames than any list of common ones.
func rareSurname(r *rand.Rand) string {
	const (
		onsets = "b c d f g h k l m n p r s t v w z br ch dr gr kr pl sh st tr"
		nuclei = "a e i o u ai ea ie ou"
		codas  = "n r s l k nd rt ck ll tz ng"
	)
	on, nu, co := strings.Fields(onsets), strings.Fields(nuclei), strings.Fields(codas)
	var b strings.Builder
	for range 2 + r.IntN(2) {
		b.WriteString(on[r.IntN(len(on))])
		b.WriteString(nu[r.IntN(len(nu))])
	}
	b.WriteString(co[r.IntN(len(co))])
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// SpellingVariant writes name as a clerk might: one letter changed,
// dropped or doubled, or the words in another order, or a middle word
// left out.
func SpellingVariant(r *rand.Rand, name string) string {
	words := strings.Fields(name)
	rs := []rune(name)
	switch k := r.IntN(5); {
	case k == 0 && len(words) >= 2:
		words[0], words[len(words)-1] = words[len(words)-1], words[0]
		return strings.Join(words, " ")
	case k == 1 && len(words) >= 3:
		return strings.Join(append(words[:1:1], words[2:]...), " ")
	case len(rs) >= 6:
		i := 1 + r.IntN(len(rs)-2)
		if rs[i] == ' ' || rs[i-1] == ' ' {
			return name
		}
		switch k {
		case 2:
			return string(append(rs[:i:i], rs[i+1:]...)) // a letter dropped
		case 3:
			return string(append(rs[:i+1:i+1], rs[i:]...)) // a letter doubled
		default:
			rs[i] = []rune("aeiouy")[r.IntN(6)] // a vowel for a letter
			return string(rs)
		}
	}
	return name
}
