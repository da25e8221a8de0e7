package cognitolocal

import (
	"maps"
	"slices"
)

// ServedOperations is every X-Amz-Target operation name the Server answers,
// sorted: the model test checks each against the published API model.
func ServedOperations() []string { return slices.Sorted(maps.Keys(operations)) }
