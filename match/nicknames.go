package match

import "slices"

// nicknames maps common short forms and diminutives of given names to the
// full forms they stand for (English, and the Slavic and Spanish ones
// common on sanctions lists). Matching treats a nickname and its full form
// as the same name, with a little less confidence than a spelling variant.
var nicknames = map[string][]string{
	"al": {"albert", "alfred", "alan"}, "alex": {"alexander", "aleksandr", "alexandre", "alejandro", "alexei", "aleksei"},
	"andy": {"andrew", "andreas"}, "ben": {"benjamin"}, "bibi": {"benjamin"}, "bill": {"william"}, "billy": {"william"},
	"bob": {"robert"}, "bobby": {"robert"}, "rob": {"robert"}, "robbie": {"robert"}, "chris": {"christopher", "christian"},
	"chuck": {"charles"}, "charlie": {"charles"}, "dan": {"daniel"}, "danny": {"daniel"}, "dave": {"david"},
	"dick": {"richard"}, "rick": {"richard"}, "rich": {"richard"}, "don": {"donald"}, "ed": {"edward", "edwin"},
	"eddie": {"edward"}, "fred": {"frederick", "alfred"}, "greg": {"gregory"}, "hank": {"henry"}, "jack": {"john"},
	"jake": {"jacob"}, "jim": {"james"}, "jimmy": {"james"}, "joe": {"joseph"}, "joey": {"joseph"}, "johnny": {"john"},
	"jon": {"jonathan", "john"}, "kate": {"katherine", "catherine", "kateryna", "ekaterina"}, "katie": {"katherine"},
	"larry": {"lawrence"}, "liz": {"elizabeth"}, "beth": {"elizabeth"}, "betty": {"elizabeth"}, "matt": {"matthew"},
	"mike": {"michael"}, "mick": {"michael"}, "nick": {"nicholas", "nikolai"}, "pat": {"patrick", "patricia"},
	"peggy": {"margaret"}, "maggie": {"margaret"}, "sam": {"samuel", "samantha"}, "steve": {"stephen", "steven"},
	"ted": {"theodore", "edward"}, "teddy": {"theodore", "edward"}, "tom": {"thomas"}, "tommy": {"thomas"},
	"tony": {"anthony", "antonio"}, "will": {"william"}, "jerry": {"gerald", "jeremy"}, "jeff": {"jeffrey"},
	"ron": {"ronald"}, "tim": {"timothy"}, "vince": {"vincent"}, "walt": {"walter"}, "zach": {"zachary"},
	"sasha": {"alexander", "aleksandr", "oleksandr"}, "volodya": {"vladimir", "volodymyr"}, "dima": {"dmitry", "dmitri"},
	"misha": {"mikhail"}, "kolya": {"nikolai"}, "seryozha": {"sergei", "sergey"}, "zhenya": {"yevgeny", "evgeny"},
	"vova": {"vladimir"}, "pasha": {"pavel"}, "petya": {"pyotr"}, "vanya": {"ivan"}, "tolya": {"anatoly"},
	"pepe": {"jose"}, "paco": {"francisco"}, "pancho": {"francisco"}, "nacho": {"ignacio"}, "lupe": {"guadalupe"},
	"chepe": {"jose"}, "memo": {"guillermo"}, "beto": {"alberto", "roberto"},
}

// equivalents are groups of one given name in the spellings of different
// languages (Ukrainian, Belarusian, Polish, German, Hungarian forms of
// Russian names, and others common on sanctions lists): transliteration
// tables cannot turn Volodymyr into Vladimir.
var equivalents = [][]string{
	{"vladimir", "volodymyr", "uladzimir", "wladimir", "vlagyimir", "wlodzimierz", "vladimiras", "vladimirs"},
	{"aleksandr", "alexander", "oleksandr", "aliaksandr", "alexandr", "aleksander", "olexandr", "alyaksandr"},
	{"nikolai", "nikolay", "mykola", "mikalai", "mikolaj", "nicolae"},
	{"dmitry", "dmitri", "dmytro", "dzmitry", "dmitrij", "dimitri"},
	{"sergei", "sergey", "serhiy", "serhii", "siarhei", "sergiy", "sergej"},
	{"andrei", "andrey", "andriy", "andrii", "andrej", "andrzej", "andrea"},
	{"oleg", "oleh", "aleh"}, {"mikhail", "mykhailo", "michail", "mikhal", "michal", "mihail"},
	{"pyotr", "petr", "petro", "piotr", "pietro"}, {"pavel", "pavlo", "pawel", "paul"},
	{"igor", "ihor"}, {"yevgeny", "evgeny", "yevhen", "evgeni", "jewgeni", "yauhen"},
	{"grigory", "hryhoriy", "grigori", "grzegorz"}, {"yuri", "yuriy", "yury", "jurij", "yurii", "juri"},
	{"anatoly", "anatoliy", "anatolii"}, {"vasily", "vasyl", "vasil", "wassili"}, {"fyodor", "fedir", "fedor", "theodor"},
	{"yosef", "joseph", "yusuf", "youssef", "jose", "giuseppe"}, {"ibrahim", "abraham", "avraham"},
	{"mikhailovich", "mykhailovych"}, {"vladimirovich", "volodymyrovych", "uladzimiravich"},
	{"aleksandrovich", "oleksandrovych", "aliaksandravich"},
}

// spellings are groups of spellings of one Arabic, Persian or Turkish name
// that lists use side by side, where vowels and doubled letters move too
// far for spelling tolerance (Hossein and Husain share three letters in
// place). They are transliterations of one name, not nicknames.
var spellings = [][]string{
	{"hussein", "husain", "hussain", "husayn", "hossein", "hosein", "husein", "huseyin", "hussien", "hosain"},
	{"hassan", "hasan", "hasen", "hassen"},
	{"mahmoud", "mahmud", "mahmood", "mehmood", "mahmut"},
	{"mustafa", "mostafa", "moustafa", "mustapha", "mostapha", "mustefa"},
	{"yusuf", "yousef", "youssef", "yousuf", "yusef", "yousif", "yossef"},
	{"ibrahim", "ebrahim", "ibraheem", "brahim", "ibragim"},
	{"ismail", "ismael", "esmail", "esmaeil", "ismayil"},
	{"yahya", "yehia", "yahia", "yehya"}, {"qasim", "kassem", "qassem", "kasim", "qasem", "ghasem"},
	{"suleiman", "sulaiman", "soleiman", "sleiman", "suleyman", "soliman", "sulayman"},
	{"othman", "osman", "uthman", "usman", "osmane"}, {"saleh", "salih", "salah"},
	{"mohsen", "muhsin", "mohsin"}, {"reza", "rida", "ridha", "riza"}, {"mehdi", "mahdi"},
	{"jafar", "jaafar", "jafer", "djafar", "ghaffar"}, {"tariq", "tarek", "tareq", "tarik"},
	{"walid", "waleed", "oualid"}, {"khaled", "khalid", "halid"}, {"rashid", "rasheed", "rachid", "reshid"},
	{"said", "saeed", "sayed", "saied", "sayyid", "seyed", "seyyed"}, {"nasser", "nasir", "naser", "nacer"},
	{"omar", "umar", "omer"}, {"osama", "usama", "oussama"}, {"abdullah", "abdallah", "abdulla", "abdellah"},
	{"zakaria", "zakariya", "zakariyya", "zakariah"}, {"faisal", "feisal", "faysal", "faycal"},
	{"hisham", "hesham", "hicham"}, {"hamza", "hamzah", "hamze"}, {"idris", "idriss", "edris"},
	{"rahman", "rehman", "rahmon"}, {"rahim", "rehim", "raheem"}, {"aziz", "azeez", "aziiz"},
	{"abdul", "abd"}, // "Abd al-Rahman" is read "abdul rahman", "Fadl Abd" keeps "abd"
}

// spellingOf numbers each spelling by its group (from 1).
var spellingOf = groupNumbers(spellings)

// groupNumbers maps each name of groups to the number of its group (from 1).
func groupNumbers(groups [][]string) map[string]int {
	m := map[string]int{}
	for i, g := range groups {
		for _, n := range g {
			m[n] = i + 1
		}
	}
	return m
}

// sameNames maps a name to every other name it may stand for: its full
// forms, its nicknames and its spellings in other languages.
var sameNames = func() map[string][]string {
	m := map[string][]string{}
	add := func(a, b string) {
		if a != b && !slices.Contains(m[a], b) {
			m[a] = append(m[a], b)
		}
	}
	for nick, fulls := range nicknames {
		for _, f := range fulls {
			add(nick, f)
			add(f, nick)
		}
	}
	for _, g := range equivalents {
		for _, a := range g {
			for _, b := range g {
				add(a, b)
			}
		}
	}
	return m
}()

// nicksOf returns the names a token may stand for (nil for most tokens).
func nicksOf(t string) []string { return sameNames[t] }

// isNickname reports whether one token is a nickname of the other, or both
// spell one name in different languages. a's and b's nicknames, when
// already looked up, are passed to spare the map.
func isNickname(a, b *tok) bool {
	if a.nicks == nil && b.nicks == nil && !a.looked && !b.looked {
		return slices.Contains(sameNames[a.text], b.text)
	}
	return slices.Contains(a.nicks, b.text) || slices.Contains(b.nicks, a.text)
}
