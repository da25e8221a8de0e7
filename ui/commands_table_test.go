package ui

import "testing"

// Every operation has its own words, failure title and spinner text: an
// operation added without them would show an empty title on its failure.
func TestEveryOperationHasItsText(t *testing.T) {
	seen := map[string]operation{}
	for o := operation(0); o < numOperations; o++ {
		text, ok := operations[o]
		if !ok || text.words == "" || text.failKey == "" || text.busyKey == "" {
			t.Errorf("operation %d has no complete text: %+v", o, text)
			continue
		}
		if other, dup := seen[text.words]; dup {
			t.Errorf("operations %d and %d share the words %q", other, o, text.words)
		}
		seen[text.words] = o
	}
	if len(operations) != int(numOperations) {
		t.Errorf("%d texts for %d operations", len(operations), numOperations)
	}
}
