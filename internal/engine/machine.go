package engine

import "sync"

// callSet is the set of calls a machine (the voicemail) answered: they
// never get the microphone and loudspeaker.
type callSet struct {
	mu  sync.Mutex
	ids map[string]bool
}

func newCallSet() *callSet { return &callSet{ids: map[string]bool{}} }

func (s *callSet) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[id] = true
}

func (s *callSet) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id]
}

func (s *callSet) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}
