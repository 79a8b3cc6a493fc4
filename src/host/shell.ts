// Quoting for the shell lines that --dry-run and --debug print. The engine never runs a
// string through a shell that contains user values; this is only for showing argv.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function renderArgv(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}
