package formats

import (
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/bis"
	"github.com/lexscreen/lexscreen/source/ca"
	"github.com/lexscreen/lexscreen/source/custom"
	"github.com/lexscreen/lexscreen/source/eu"
	"github.com/lexscreen/lexscreen/source/ftm"
	"github.com/lexscreen/lexscreen/source/ofac"
	"github.com/lexscreen/lexscreen/source/ofacxml"
	"github.com/lexscreen/lexscreen/source/uk"
	"github.com/lexscreen/lexscreen/source/un"
	"github.com/lexscreen/lexscreen/source/uscsl"
)

// All is every format lexscreen reads, in the order Sniff is tried: the
// official formats first (their sniffers look for specific roots, headers
// and file names), lexscreen's own custom formats last.
var All = []source.Format{
	ofac.FormatCSV,
	ofacxml.FormatXML,
	ofacxml.FormatEnhanced,
	ofacxml.FormatAdvanced,
	un.FormatXML,
	eu.FormatCSV,
	eu.FormatXML,
	uk.FormatOFSICSV,
	uk.FormatOFSIXLSX,
	uk.FormatFCDOODS,
	uk.FormatFCDOCSV,
	uk.FormatFCDOXML,
	ca.FormatSEMA,
	uscsl.FormatCSL,
	bis.FormatDPL,
	ftm.FormatJSON,
	ftm.FormatDelta,
	custom.FormatCSV,
	custom.FormatJSON,
}
