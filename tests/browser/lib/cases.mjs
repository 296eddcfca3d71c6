// The shared test cases (/work/shared/cases/*.json, or $SHENBAO_CASES) and their expectations
// (spec/report.md, "What tests compare").
import fs from "node:fs";
import path from "node:path";

export const DEFAULT_CASES_DIR = "/work/shared/cases";

/**
 * The case files: $SHENBAO_CASES (a directory, a .json file, or several joined with the path
 * delimiter) or every *.json in /work/shared/cases, sorted.
 */
export function caseFiles(spec = process.env.SHENBAO_CASES || DEFAULT_CASES_DIR) {
  const files = [];
  for (const p of spec.split(path.delimiter).filter(Boolean)) {
    if (fs.statSync(p).isDirectory()) {
      files.push(...fs.readdirSync(p).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(p, f)));
    } else {
      files.push(p);
    }
  }
  return files;
}

/** Every case of the case files, each with `file` added; a file holds one case or an array. */
export function loadCases(files = caseFiles()) {
  const cases = [];
  for (const file of files) {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const c of Array.isArray(parsed) ? parsed : [parsed]) cases.push({ ...c, file });
  }
  return cases;
}

/** Groups cases by "jurisdiction/form", keeping file order. */
export function groupByForm(cases) {
  const groups = new Map();
  for (const c of cases) {
    const key = `${c.jurisdiction}/${c.form}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  return groups;
}

/** Distinct rule IDs among a report's findings of a severity, sorted. */
export function rulesWith(report, severity) {
  return [...new Set(report.findings.filter((f) => f.severity === severity).map((f) => f.rule))].sort();
}

/** What a case's `expect` compares: {valid, errors, warnings} of a report. */
export function verdict(report) {
  return { valid: report.valid, errors: rulesWith(report, "error"), warnings: rulesWith(report, "warning") };
}

/** The same shape from a case's `expect`. */
export function expected(c) {
  return {
    valid: c.expect.valid_for_final_submission,
    errors: [...new Set(c.expect.errors)].sort(),
    warnings: [...new Set(c.expect.warnings)].sort(),
  };
}
