package selfcare

import (
	"errors"
	"fmt"
)

// Code identifies a kind of rule violation or failure. Codes are stable: the
// UI, the headless program and tests rely on them.
type Code string

// Error is the one error type of the domain. Code says what went wrong, Field
// names the form field at fault (empty when none) and Args fill the message.
type Error struct {
	Code  Code
	Field string
	Args  []any
}

// Errorf returns an *Error for code on field with message arguments.
func Errorf(code Code, field string, args ...any) *Error {
	return &Error{Code: code, Field: field, Args: args}
}

// Error returns the English message, so logs and wrapped errors stay readable.
func (e *Error) Error() string { return e.Message(LangEnglish) }

// Message returns the message in lang (LangFrench or LangEnglish). Unknown
// languages fall back to French, the product's first language.
func (e *Error) Message(lang string) string {
	m, ok := messages[e.Code]
	if !ok {
		return fmt.Sprintf("%s %v", e.Code, e.Args)
	}
	format := m.fr
	if lang == LangEnglish {
		format = m.en
	}
	if len(e.Args) == 0 {
		return format
	}
	return fmt.Sprintf(format, e.Args...)
}

// ErrorCode returns the Code of the first *Error in err's chain, or
// CodeInternal when err is not a domain error, or "" when err is nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user message for err in lang: the domain message
// when err carries an *Error, a generic message otherwise (details belong in
// the log, not in front of the user).
func ErrorMessage(err error, lang string) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message(lang)
	}
	return Errorf(CodeInternal, "").Message(lang)
}

// Languages Ligne speaks.
const (
	LangFrench  = "fr"
	LangEnglish = "en"
)
