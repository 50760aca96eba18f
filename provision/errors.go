package provision

import "errors"

// Sentinel errors of the package. User-facing failures are *selfcare.Error
// values; these are for callers that branch on a condition.
var (
	// ErrUnknownFamily reports a model whose family has no template.
	ErrUnknownFamily = errors.New("provision: no template for this phone family")
	// ErrNotServed reports a file name that belongs to no configured phone.
	ErrNotServed = errors.New("provision: file not served")
	// ErrServerClosed is returned by Serve after Close.
	ErrServerClosed = errors.New("provision: server closed")
)
