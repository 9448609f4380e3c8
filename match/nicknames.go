package match

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

// isNickname reports whether one token is a nickname of the other.
func isNickname(a, b string) bool {
	for _, f := range nicknames[a] {
		if f == b {
			return true
		}
	}
	for _, f := range nicknames[b] {
		if f == a {
			return true
		}
	}
	return false
}
