// `build --check` output, as buildx prints the lint subrequest's result: a count line, then each
// finding with its rule, documentation link, message and the Dockerfile lines around it; or
// with `--format json` (buildx `--call=check,format=json`) the result as JSON, sources base64.
// Findings make the command exit 1; so does a Dockerfile that cannot be built (its error
// follows the findings).
import type { LintFinding, LintReport } from '../dockerfile/index.js';
import { renderSource } from './progress/report.js';

export interface CheckOutput {
  stdout: string;
  /** An error to report after stdout (the Dockerfile cannot be built). */
  error?: string;
  exitCode: number;
}

export function renderCheck(report: LintReport, file: string, text: string, format: 'text' | 'json'): CheckOutput {
  const findings = [...report.findings].sort((a, b) => a.line - b.line);
  const exitCode = findings.length > 0 || report.error ? 1 : 0;
  if (format === 'json') return { stdout: `${JSON.stringify(checkJson(report, findings, file, text), null, 2)}\n`, exitCode };
  let out = '';
  if (findings.length === 1) out += 'Check complete, 1 warning has been found!\n';
  else if (findings.length > 1) out += `Check complete, ${findings.length} warnings have been found!\n`;
  for (const f of findings) {
    out += `\nWARNING: ${f.rule}${f.url ? ` - ${f.url}` : ''}\n${f.message}\n`;
    out += renderSource(file, text, [{ line: f.line, endLine: f.endLine }]);
  }
  if (!report.error && findings.length === 0) out += 'Check complete, no warnings found.\n';
  if (!report.error) return { stdout: out, exitCode };
  const ctx = report.error.context;
  const located = typeof ctx?.line === 'number' ? renderSource(file, text, [{ line: ctx.line, endLine: typeof ctx.endLine === 'number' ? ctx.endLine : ctx.line }]) : '';
  return { stdout: out, error: `${findings.length ? '\n' : ''}${located}${report.error.message}`, exitCode };
}

function location(line: number, endLine: number) {
  return { ranges: [{ start: { line }, end: { line: endLine } }] };
}

function checkJson(report: LintReport, findings: LintFinding[], file: string, text: string) {
  const out: Record<string, unknown> = {
    warnings: findings.map((f) => ({
      ruleName: f.rule,
      description: f.description,
      url: f.url,
      detail: f.message,
      location: location(f.line, f.endLine),
    })),
    sources: [{ fileName: file, language: 'Dockerfile', data: Buffer.from(text).toString('base64') }],
  };
  if (report.error) {
    const ctx = report.error.context;
    out.buildError = {
      message: report.error.message,
      ...(typeof ctx?.line === 'number' ? { location: location(ctx.line, typeof ctx.endLine === 'number' ? ctx.endLine : ctx.line) } : {}),
    };
  }
  return out;
}
