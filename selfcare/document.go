package selfcare

// DocumentKind sorts the documentation library.
type DocumentKind string

// Kinds of documents of the guide's library.
const (
	DocProductSheet DocumentKind = "product-sheet" // fiche produit
	DocUserGuide    DocumentKind = "user-guide"    // guide utilisateur
	DocSolution     DocumentKind = "solution"      // documents about the solution
	DocVideo        DocumentKind = "video"         // tutoriel, webconf, teaser
)

// Document is an item of the documentation library. Exactly one of URL or
// Bundled is set: a remote file downloaded on demand, or a file shipped in
// Ligne's assets.
type Document struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	Kind     DocumentKind `json:"kind"`
	Category string       `json:"category,omitempty"` // for videos: tutorial, webconf, teaser
	Models   []string     `json:"models,omitempty"`   // device models it documents
	URL      string       `json:"url,omitempty"`
	Bundled  string       `json:"bundled,omitempty"`
	Size     int64        `json:"size,omitempty"` // bytes, when known
}

// GuideFor returns the user guide of model among docs.
func GuideFor(docs []Document, model string) (Document, bool) {
	key := modelKey(model)
	for _, d := range docs {
		if d.Kind != DocUserGuide {
			continue
		}
		for _, m := range d.Models {
			if modelKey(m) == key {
				return d, true
			}
		}
	}
	return Document{}, false
}

// DialogOption is one option of the Dialog unified communications offer.
type DialogOption struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	NameEN        string `json:"name_en,omitempty"`
	Description   string `json:"description"`
	DescriptionEN string `json:"description_en,omitempty"`
	Enabled       bool   `json:"enabled"`
}
