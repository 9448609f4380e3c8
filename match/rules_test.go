package match

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ofac"
)

// ruleCase is one rule's test: a query and a listed name on which the rule
// fires, with the effect it has there, and a control pair as near as can
// be on which it does not fire; cmp is how the first pair's score
// compares with the control's ('<', '>' or '=').
type ruleCase struct {
	rule          ruleID
	schema        lexscreen.Schema
	query, listed string
	effect        string // the explanation's effect; "" for token rules that reject a pair
	ctrlQuery     string
	ctrlListed    string
	cmp           byte
	// words, for token rules: "q~l|q~l", the query and listed words
	// whose token rules count in the pair and in the control ("" for
	// every pair of words).
	words string
}

const (
	rPerson = lexscreen.SchemaPerson
	rOrg    = lexscreen.SchemaOrganization
	rVessel = lexscreen.SchemaVessel
)

// ruleCases has a case for every rule. Listed names with a comma are
// persons as OFAC writes them ("FAMILY, Given Middle"), with their parts
// tagged; others are untagged.
var ruleCases = []ruleCase{
	{ruleTokenExact, rPerson, "Ivan Petrov", "PETROV, Ivan", "similarity 1", "Iwan Petroff", "PETROV, Ivan", '>', ""},
	{ruleTokenNumberWordSlip, rOrg, "Fith Avenue Trading", "5 Avenue Trading", "similarity 0.9", "Sixth Avenue Trading", "5 Avenue Trading", '>', ""},
	{ruleTokenInitial, rPerson, "J Smith", "SMITH, John", "similarity 0.9", "K Smith", "SMITH, John", '>', ""},
	{ruleTokenInitialDiffers, rPerson, "K Smith", "SMITH, John", "", "J Smith", "SMITH, John", '<', "k~john|j~john"},
	{ruleTokenGenderPair, rPerson, "Antonia Rossi", "ROSSI, Antonio", "similarity 0.7", "Antonio Rossi", "ROSSI, Antonio", '<', ""},
	{ruleTokenSameTranslit, rPerson, "Dzhesus Rivas", "RIVAS, Jesus", "similarity 0.92", "Jesus Rivas", "RIVAS, Jesus", '<', ""},
	{ruleTokenSpellingTable, rPerson, "Husain Mirza", "MIRZA, Hossein", "similarity 0.92", "Hossein Mirza", "MIRZA, Hossein", '<', ""},
	{ruleTokenNickname, rPerson, "Bill Clinton", "CLINTON, William", "similarity 0.88", "Wilbur Clinton", "CLINTON, William", '>', ""},
	{ruleTokenRepeatedLetters, rPerson, "Kim Joonng Il", "KIM, Jong Il", "similarity 0.9", "Kim Jong Il", "KIM, Jong Il", '<', ""},
	{ruleTokenShortSkeleton, rPerson, "Sam Novak", "NOVAK, Sami", "similarity 0.88", "Sal Novak", "NOVAK, Sami", '>', "sam~sami|sal~sami"},
	{ruleTokenConsonantSwap, rOrg, "Koba Trading", "Kopa Trading", "similarity 0.86", "Koma Trading", "Kopa Trading", '>', "koba~kopa|koma~kopa"},
	{ruleTokenShortDroppedLetter, rOrg, "Ban Melli Iran", "Bank Melli Iran", "similarity 0.8", "Bam Melli Iran", "Bank Melli Iran", '>', ""},
	{ruleTokenShortNoMatch, rPerson, "Li Wei", "WANG, Wei", "", "Wang Wei", "WANG, Wei", '<', "li~wang|wang~wang"},
	{ruleTokenSyllablePhonetic, rPerson, "Kim Chol Su", "KIM, Cheol Su", "similarity 0.9", "Kim Chal Su", "KIM, Cheol Su", '>', ""},
	{ruleTokenFourLetterSlip, rPerson, "Ogla Novak", "NOVAK, Olga", "similarity 0.86", "Olga Novak", "NOVAK, Olga", '<', ""},
	{ruleTokenSyllableNoMatch, rPerson, "Petra Nork", "NOVAK, Petra", "", "Petra Novak", "NOVAK, Petra", '<', "nork~novak|novak~novak"},
	{ruleTokenDifferentStems, rPerson, "Anna Jonsdottir", "TOMASDOTTIR, Anna", "", "Anna Tomasdottir", "TOMASDOTTIR, Anna", '<', "jonsdottir~tomasdottir|tomasdottir~tomasdottir"},
	{ruleTokenStringSimilarity, rPerson, "Gabriela Ostrowicz", "OSTROWSKI, Gabriela", "", "Gabriela Ostrowski", "OSTROWSKI, Gabriela", '<', "ostrowicz~ostrowski|ostrowski~ostrowski"},
	{ruleTokenOneSlip, rPerson, "Ivan Sodorov", "SIDOROV, Ivan", "", "Ivan Sudarav", "SIDOROV, Ivan", '>', "sodorov~sidorov|sudarav~sidorov"},
	{ruleTokenTwoSlips, rPerson, "Francesca Alabanede", "ALBANESE, Francesca", "", "Francesca Albanese", "ALBANESE, Francesca", '<', "alabanede~albanese|albanese~albanese"},
	{ruleTokenCanonSlip, rPerson, "Karilna Silva", "SILVA, Carina", "similarity 0.88", "Karina Silva", "SILVA, Carina", '<', ""},
	{ruleTokenPatronymic, rPerson, "Vladimir Wladimirowitsch Ivanov", "IVANOV, Vladimir Vladimirovich", "", "Vladimir Wladimirsky Ivanov", "IVANOV, Vladimir Vladimirovich", '>', "wladimirowitsch~vladimirovich|wladimirsky~vladimirovich"},
	{ruleTokenInflection, rPerson, "Vladimir Putinas", "PUTIN, Vladimir", "", "Vladimir Putin", "PUTIN, Vladimir", '<', ""},
	{ruleTokenSameSounds, rPerson, "Victoria Lindqvist", "LINDQVIST, Victor", "", "Viviana Lindqvist", "LINDQVIST, Victor", '>', "victoria~victor|viviana~victor"},
	{ruleTokenSameConsonants, rPerson, "Mhmmd Rahimi", "RAHIMI, Muhammad", "", "Mhmmt Rahimi", "RAHIMI, Muhammad", '>', "mhmmd~muhammad|mhmmt~muhammad"},

	{rulePairAbbreviation, rOrg, "Delta Intl Trading", "Delta International Trading", "similarity 0.88", "Delta Internal Trading", "Delta International Trading", '>', ""},
	{rulePairRolesConflict, rPerson, "TED, Doe", "DOE, Ted", "similarity x 0.8", "DOE, Ted", "DOE, Ted", '<', ""},
	{rulePairJoinedQuery, rPerson, "Abu Bakr Hassan", "HASSAN, Abubakr", "similarity 1.001", "Abu Omar Hassan", "HASSAN, Abubakr", '>', ""},
	{rulePairJoinedListed, rPerson, "Cornelius Vanderbilt", "VAN DER BILT, Cornelius", "similarity 1.001", "Cornelius Vandermeer", "VAN DER BILT, Cornelius", '>', ""},
	{rulePairAcronym, rOrg, "PLA", "People's Liberation Army", "similarity 0.95", "PLT", "People's Liberation Army", '>', ""},
	{rulePairInitialWeight, rPerson, "Maria J Garcia", "GARCIA, Maria Jose", "weight at most 0.3", "Maria Jose Garcia", "GARCIA, Maria Jose", '<', ""},
	{rulePairOtherFamily, rPerson, "Maria Castro", "CASTILLO, Maria", "similarity 0.5", "Maria Castilo", "CASTILLO, Maria", '<', ""},
	{rulePairShortSlip, rVessel, "Mea", "MENA", "similarity at least 0.86", "Mra", "MENA", '>', ""},

	{ruleExtraWord, rPerson, "Rocco Lochel", "ROCCO", "penalty 1", "Rocco", "ROCCO", '<', ""},
	{ruleExtraNumberOfFamily, rOrg, "Bowne Global Solutions II", "Bowne Global Solutions", "penalty 1", "Bowne Global Solutions", "Bowne Global Solutions", '<', ""},
	{ruleExtraLegalFormMisspelt, rOrg, "Ocean Ink", "Ocean Inc", "penalty 0.1", "Ocean Ink", "Ocean", '>', ""},
	{ruleExtraInitial, rPerson, "Hans O Friedrich", "FRIEDRICH, Hans", "penalty 0.4", "Hans Friedrich", "FRIEDRICH, Hans", '<', ""},
	{ruleExtraVesselPrefix, rVessel, "MV Fortune Star", "FORTUNE STAR", "penalty 0", "Fortune Star Bright", "FORTUNE STAR", '>', ""},
	{ruleExtraLeadingArticle, rOrg, "The Boeing Company", "Boeing Company", "penalty 0", "Mighty Boeing Company", "Boeing Company", '>', ""},
	{ruleExtraTitle, rPerson, "Saheb Agha Rahimi", "RAHIMI, Agha", "penalty 0.1", "Mahmud Agha Rahimi", "RAHIMI, Agha", '>', ""},
	{ruleExtraVesselWord, rVessel, "Ocean Corp", "OCEAN", "penalty 1", "Ocean", "OCEAN", '<', ""},
	{ruleExtraParticle, rPerson, "Ali al Hassan", "HASSAN, Ali", "penalty 0.3", "Ali Omar Hassan", "HASSAN, Ali", '>', ""},
	{ruleExtraMiddleName, rPerson, "Mark Albert Taylor", "TAYLOR, Mark", "penalty 0.35", "Mark Albert Taylor", "TAYLOR, Mark John", '>', ""},
	{ruleExtraPlace, rOrg, "Faberlic Europe", "Faberlic", "penalty 0.3", "Faberlic Beauty", "Faberlic", '>', ""},
	{ruleExtraSectorWord, rOrg, "Deutsche Bank Trust", "Deutsche Bank", "penalty 1", "Deutsche Bank", "Deutsche Bank", '<', ""},

	{ruleMissingByRole, rPerson, "Ivan Petrov", "PETROV, Ivan Sergeevich", "penalty 0.2", "Ivan Sergeevich Petrov", "PETROV, Ivan Sergeevich", '<', ""},
	{ruleMissingSectorWord, rOrg, "China Construction Trust", "China Construction Bank", "penalty 0.8", "China Construction Corp", "China Construction Bank", '<', ""},
	{ruleMissingNumberOfFamily, rOrg, "Bowne Global Solutions", "Bowne Global Solutions II", "penalty 1", "Bowne Global Solutions", "Bowne Global Solutions", '<', ""},
	{ruleMissingPlace, rOrg, "Faberlic", "Faberlic Europe", "penalty at most 0.3", "Faberlic", "Faberlic Beauty", '>', ""},
	{ruleMissingSubstituted, rPerson, "Mark Albert Taylor", "TAYLOR, Mark John", "penalty at least 0.8", "Mark Taylor", "TAYLOR, Mark John", '<', ""},
	{ruleMissingLeadingArticle, rOrg, "Boeing Company", "The Boeing Company", "penalty 0", "Boeing Company", "Mighty Boeing Company", '>', ""},

	{ruleNameNumbersLow, rOrg, "Harbor Fund III", "Harbor Fund IV", "number weight x 0.3", "Harbor Fund III", "Harbor Fund", '>', ""},
	{ruleNameNumbersStrict, rVessel, "Victory 3", "VICTORY", "number weight at least 0.8", "Victory", "VICTORY", '<', ""},
	{ruleNameInitialClash, rPerson, "Hans O Friedrich", "FRIEDRICH, Hans Joachim", "score x 0.9", "Hans Friedrich", "FRIEDRICH, Hans Joachim", '<', ""},
	{ruleNameOneSurname, rPerson, "Benigno Ruiz", "RUIZ Y ARANDA, Benigno", "", "Benigno Lopez", "RUIZ Y ARANDA, Benigno", '>', ""},
	{ruleNameSurnameAlone, rPerson, "Okafor", "OKAFOR, Chidi", "name score at least 0.82", "Chidi", "OKAFOR, Chidi", '>', ""},
}

// ruleIndex is a small made-up index that gives the words of ruleCases
// their rarity.
func ruleIndex() *Index {
	var es []*lexscreen.Entity
	for i, c := range ruleCases {
		es = append(es, ruleEntity(fmt.Sprintf("r:%d", i), c.schema, c.listed))
	}
	return smallIndex(es...)
}

// ruleEntity is a listed entity with one name: tagged as OFAC writes
// persons when it has a comma, untagged otherwise.
func ruleEntity(id string, schema lexscreen.Schema, name string) *lexscreen.Entity {
	n := lexscreen.Name{Full: name, Kind: lexscreen.NamePrimary}
	if strings.Contains(name, ",") {
		n.Parts = ofac.PersonNameParts(name)
	}
	return &lexscreen.Entity{ID: id, Source: "test", Schema: schema, Names: []lexscreen.Name{n}}
}

// ruleOutcome is what a pair's scoring did: its score, the rules the
// explanation names, and the token rules that decided any pair of words.
type ruleOutcome struct {
	score  float64
	hits   []lexscreen.RuleHit
	tokens ruleSet
}

func (o ruleOutcome) fired(r ruleID) bool {
	if o.tokens.has(r) {
		return true
	}
	for _, h := range o.hits {
		if h.Rule == r.String() {
			return true
		}
	}
	return false
}

func (o ruleOutcome) effect(r ruleID) string {
	for _, h := range o.hits {
		if h.Rule == r.String() {
			return h.Effect
		}
	}
	return ""
}

// scoreWithRules scores query against a listed name and says which rules
// fired.
func scoreWithRules(m *Matcher, schema lexscreen.Schema, query, listed, words string) ruleOutcome {
	q := lexscreen.Query{Name: query, Schema: schema}
	if strings.Contains(query, ",") {
		q.Parts = ofac.PersonNameParts(query)
	}
	qw, lw, _ := strings.Cut(words, "~")
	e := ruleEntity("r:x", schema, listed)
	mt, _ := m.ExplainPair(q, e)
	out := ruleOutcome{score: mt.Explanation.NameScore, hits: mt.Explanation.Rules}
	pq, err := m.prepare(q)
	if err != nil {
		return out
	}
	b := newBuilder(nil)
	b.Add(e)
	for ni := range b.ix.names {
		ct := m.pairToks(b.ix, &b.ix.names[ni])
		for _, v := range pq.variants {
			for i := range v {
				for j := range ct {
					if words != "" && (v[i].text != qw || ct[j].text != lw) {
						continue
					}
					_, _, fired := tokenSimRules(&v[i], &ct[j])
					out.tokens |= fired
				}
			}
		}
	}
	return out
}

// TestRules checks every scoring rule on a pair it fires on, with its
// effect, and on a control pair it does not fire on, and how the two
// pairs' name scores compare.
func TestRules(t *testing.T) {
	m := New(ruleIndex())
	tested := map[ruleID]bool{}
	for _, c := range ruleCases {
		tested[c.rule] = true
		w, cw, _ := strings.Cut(c.words, "|")
		got := scoreWithRules(m, c.schema, c.query, c.listed, w)
		ctrl := scoreWithRules(m, c.schema, c.ctrlQuery, c.ctrlListed, cw)
		if os.Getenv("RULES_DEBUG") != "" {
			t.Logf("%s: %q~%q %.3f %v %s | ctrl %q~%q %.3f %v %s", c.rule, c.query, c.listed, got.score, got.hits, got.tokens,
				c.ctrlQuery, c.ctrlListed, ctrl.score, ctrl.hits, ctrl.tokens)
		}
		if !got.fired(c.rule) {
			t.Errorf("%s does not fire on %q ~ %q (%v %s)", c.rule, c.query, c.listed, got.hits, got.tokens)
			continue
		}
		if c.effect != "" && got.effect(c.rule) != c.effect {
			t.Errorf("%s on %q ~ %q: effect %q, want %q", c.rule, c.query, c.listed, got.effect(c.rule), c.effect)
		}
		if ctrl.fired(c.rule) {
			t.Errorf("%s fires on the control %q ~ %q", c.rule, c.ctrlQuery, c.ctrlListed)
		}
		ok := false
		switch c.cmp {
		case '<':
			ok = got.score < ctrl.score
		case '>':
			ok = got.score > ctrl.score
		case '=':
			ok = got.score == ctrl.score
		}
		if !ok {
			t.Errorf("%s: %q ~ %q scores %.3f, want %c %.3f of %q ~ %q", c.rule, c.query, c.listed, got.score, c.cmp, ctrl.score, c.ctrlQuery, c.ctrlListed)
		}
	}
	for r := ruleNone + 1; r < numRules; r++ {
		if ruleNames[r] == "" {
			t.Errorf("rule %d has no name", r)
		}
		if !tested[r] {
			t.Errorf("rule %s has no case in ruleCases", r)
		}
	}
}
