package cognitolocal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// packageExceptions reads this package's source (not its tests) and returns,
// for every operation in the operations table, the exception names its
// handler can answer: the exception constants (exc...) the handler refers to,
// directly or through any function it names, plus those of the finish
// methods every operation's answer may run after the lock. Functions are
// matched by name alone, so the sets are generous, never short.
func packageExceptions(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	must(t, err)
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		must(t, err)
		files = append(files, f)
	}

	excs := map[string]string{}       // constant name -> exception name
	bodies := map[string][]ast.Node{} // function or method name -> its bodies
	handlers := map[string]string{}   // operation -> handler method name
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					bodies[d.Name.Name] = append(bodies[d.Name.Name], d.Body)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for i, n := range vs.Names {
						if i >= len(vs.Values) {
							continue
						}
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(n.Name, "exc") {
							excs[n.Name], _ = strconv.Unquote(lit.Value)
						}
						if n.Name == "operations" {
							readOperationsTable(vs.Values[i], handlers)
						}
					}
				}
			}
		}
	}
	if len(handlers) == 0 {
		t.Fatal("found no operations table (var operations = map[string]operation{...: op(admin, (*Server).handler)})")
	}

	// direct and calls are what each function's bodies name; reach walks
	// every function reachable from fn.
	direct := map[string]map[string]bool{}
	calls := map[string]map[string]bool{}
	for fn, list := range bodies {
		direct[fn], calls[fn] = map[string]bool{}, map[string]bool{}
		for _, body := range list {
			ast.Inspect(body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if exc, ok := excs[id.Name]; ok {
						direct[fn][exc] = true
					}
					if _, ok := bodies[id.Name]; ok {
						calls[fn][id.Name] = true
					}
				}
				return true
			})
		}
	}
	reach := func(fn string) map[string]bool {
		out, seen, todo := map[string]bool{}, map[string]bool{fn: true}, []string{fn}
		for len(todo) > 0 {
			f := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			maps.Copy(out, direct[f])
			for g := range calls[f] {
				if !seen[g] {
					seen[g] = true
					todo = append(todo, g)
				}
			}
		}
		return out
	}
	finish := reach("finish")
	result := map[string][]string{}
	for op, h := range handlers {
		set := maps.Clone(reach(h))
		maps.Copy(set, finish)
		result[op] = slices.Sorted(maps.Keys(set))
	}
	return result
}

// readOperationsTable reads `"Name": op(admin, (*Server).handler)` entries.
func readOperationsTable(e ast.Expr, into map[string]string) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.BasicLit)
		call, ok2 := kv.Value.(*ast.CallExpr)
		if !ok || !ok2 || len(call.Args) == 0 {
			continue
		}
		sel, ok := call.Args[len(call.Args)-1].(*ast.SelectorExpr)
		if !ok {
			continue
		}
		name, _ := strconv.Unquote(key.Value)
		into[name] = sel.Sel.Name
	}
}

// Every exception a handler can answer, read from the source, is one the
// model lists for its operation (or for every operation), a protocol error,
// or an explained departure. Recording finds only what the tests provoke;
// this finds what the code can do.
func TestModelListsEveryExceptionTheHandlersCanAnswer(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	found := packageExceptions(t)
	for _, op := range cognitolocal.ServedOperations() {
		excs, ok := found[op]
		if !ok {
			t.Errorf("%s is served but its handler was not found in the operations table's source", op)
			continue
		}
		o, ok := m.Operations[op]
		if !ok {
			continue // TestModelHasEveryServedOperation says so
		}
		for _, exc := range excs {
			switch {
			case slices.Contains(o.Errors, exc), slices.Contains(m.CommonErrors, exc):
			case protocolErrors[exc] != "", departs(op, exc):
			default:
				t.Errorf("%s's handler can answer %s, which the model does not list for it", op, exc)
			}
		}
	}
}
