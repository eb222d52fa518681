// Unknown (misspelled) fields: each rendered object becomes an object literal passed to its typed kubernetes-models
// constructor, and TypeScript's excess-property check names any field the API type does not have.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, symlinkSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { id } from "./render.mjs";
import { modelPath } from "./schema.mjs";

const here = dirname(dirname(fileURLToPath(import.meta.url)));

export async function checkFields(objects) {
  const work = mkdtempSync(join(tmpdir(), "callcontrol-k8s-fields-"));
  try {
    symlinkSync(join(here, "node_modules"), join(work, "node_modules"));
    const lines = [];
    objects.forEach((o, i) => {
      const { apiVersion, kind, ...rest } = o;
      lines.push(`import { ${kind} as M${i} } from "${modelPath(o)}";`);
      lines.push(`// ${id(o)}\nnew M${i}(${JSON.stringify(rest)});`);
    });
    writeFileSync(join(work, "objects.ts"), lines.join("\n") + "\n");
    try {
      await promisify(execFile)(join(here, "node_modules", ".bin", "tsc"),
        ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "objects.ts"],
        { cwd: work, encoding: "utf8", maxBuffer: 64 << 20 });
      return [];
    } catch (e) {
      // Name the object each error is in: the comment line above its constructor call.
      const source = lines.join("\n").split("\n");
      return (e.stdout || e.message).split("\n").filter((l) => l.includes("error TS")).map((l) => {
        const line = Number(/objects\.ts\((\d+),/.exec(l)?.[1] ?? 0);
        const owner = source[line - 2]?.replace(/^\/\/ /, "") ?? "?";
        return `${owner}: ${l.replace(/^objects\.ts\(\d+,\d+\): error TS\d+: /, "")}`;
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
