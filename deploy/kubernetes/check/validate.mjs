// Checks every Kubernetes object in the YAML files given against the API's
// own schemas (kubernetes-models, offline): unknown fields, wrong types and
// missing required fields are errors. Kustomization files are only parsed.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const groups = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
};

let failed = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: ${doc.errors.map(String).join("; ")}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    const where = `${file}: ${obj.kind} ${obj.metadata?.name ?? ""}`;
    if (obj.apiVersion?.startsWith("kustomize.config.k8s.io/")) {
      console.log(`${where}: parsed (not an API object)`);
      continue;
    }
    const path = groups[obj.apiVersion];
    if (!path) {
      console.error(`${where}: no schema here for apiVersion ${obj.apiVersion}`);
      failed++;
      continue;
    }
    const mod = await import(path);
    const Model = mod[obj.kind];
    if (!Model) {
      console.error(`${where}: no kind ${obj.kind} in ${obj.apiVersion}`);
      failed++;
      continue;
    }
    try {
      new Model(obj).validate();
      checked++;
      console.log(`${where}: valid`);
    } catch (e) {
      failed++;
      console.error(`${where}: ${e.message}`);
    }
  }
}
console.log(`${checked} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
