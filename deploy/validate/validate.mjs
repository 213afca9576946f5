// SPDX-License-Identifier: Apache-2.0
// Offline check of Kubernetes manifests against the API schemas, without a cluster
// (`kubectl --dry-run=client` needs an API server; kubeconform is not installable here).
//   node validate.mjs FILE.yaml...        exit 0 = every document valid; 1 = problems (one line each); 2 = usage
// Two passes, because each catches what the other cannot:
//  1. kubernetes-models' precompiled JSON-schema validators: types, enums, required fields.
//  2. TypeScript's excess-property check: each document becomes an object literal typed by its kind's
//     interface, so a misspelt field (hostPid, readonyl) is an error instead of being ignored.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

// apiVersion "apps/v1" → module "kubernetes-models/apps/v1/DaemonSet"; core "v1" → "kubernetes-models/v1/Service";
// the Prometheus operator's kinds (PodMonitor) come from its own models package
const modulePath = (apiVersion, kind) => apiVersion.startsWith("monitoring.coreos.com/")
  ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}` : `kubernetes-models/${apiVersion}/${kind}`;

const problems = [];
const docs = [];
for (const file of files) {
  let parsed;
  try {
    parsed = parseAllDocuments(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${file}: ${e.message}`);
    continue;
  }
  parsed.forEach((d, i) => {
    const where = `${file} document ${i + 1}`;
    if (d.errors.length) {
      problems.push(`${where}: YAML: ${d.errors[0].message.split("\n")[0]}`);
      return;
    }
    const obj = d.toJS();
    if (obj === null || obj === undefined) {
      return; // an empty document (a trailing ---)
    }
    if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
      problems.push(`${where}: no apiVersion/kind`);
      return;
    }
    docs.push({ where, obj, name: `${obj.kind}/${obj.metadata?.name ?? "?"}` });
  });
}

// pass 1: JSON schema
for (const doc of docs) {
  const { apiVersion, kind } = doc.obj;
  let Model;
  try {
    Model = (await import(modulePath(apiVersion, kind)))[kind];
  } catch {
    problems.push(`${doc.where} (${doc.name}): unknown apiVersion/kind ${apiVersion} ${kind}`);
    continue;
  }
  doc.module = modulePath(apiVersion, kind);
  try {
    new Model(doc.obj).validate();
  } catch (e) {
    const details = (e.errors ?? []).map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ");
    problems.push(`${doc.where} (${doc.name}): schema: ${details || e.message}`);
  }
}

// pass 2: unknown fields, by the TypeScript compiler (no emit)
const typed = docs.filter((d) => d.module);
if (typed.length) {
  // inside this directory, so that kubernetes-models resolves from its node_modules
  const dir = mkdtempSync(join(here, ".check-"));
  try {
    const lines = [];
    typed.forEach((d, i) => {
      lines.push(`import type { I${d.obj.kind} as T${i} } from "${d.module}";`);
    });
    typed.forEach((d, i) => {
      lines.push(`// ${d.where} (${d.name})`);
      lines.push(`export const d${i}: T${i} = ${JSON.stringify(d.obj, null, 1)};`);
    });
    const ts = join(dir, "manifests.ts");
    writeFileSync(ts, lines.join("\n") + "\n");
    try {
      execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict",
        "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", ts], { stdio: "pipe" });
    } catch (e) {
      const out = String(e.stdout) + String(e.stderr);
      const src = readFileSync(ts, "utf8").split("\n");
      for (const m of out.matchAll(/manifests\.ts\((\d+),\d+\): error TS\d+: ([^\n]+)/g)) {
        // name the document: the nearest "// FILE document N" comment above the error line
        let l = Number(m[1]) - 1;
        while (l > 0 && !src[l].startsWith("// ")) {
          l--;
        }
        problems.push(`${src[l].slice(3)}: field: ${m[2]}`);
      }
      if (!out.match(/error TS/)) {
        problems.push(`tsc failed: ${out.trim().split("\n")[0]}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const p of problems) {
  console.log(p);
}
if (problems.length) {
  process.exit(1);
}
console.log(`valid: ${docs.map((d) => d.name).join(", ")}`);
