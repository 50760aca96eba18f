package ui

import "io"

// Test hooks for the Contacts screen's file actions, which go through
// native file dialogs in the window.

// ImportContactsFileForTest reads r as the file picked in "Importer…" on
// the Contacts screen shown.
func (u *App) ImportContactsFileForTest(r io.Reader) {
	if v := u.contactsOnScreen(); v != nil {
		v.readImport(io.NopCloser(r))
	}
}

// ExportContactsForTest writes the external contacts as "Exporter…" does.
func (u *App) ExportContactsForTest(w io.Writer, version string) (int, error) {
	return u.exportContacts(w, version)
}
