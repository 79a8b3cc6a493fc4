// Golden outputs captured from the docker 28.2 CLI (`docker context ls` with four contexts),
// which runs the same formatter, template functions and tabwriter as `docker ps`.
import { describe, expect, it } from 'vitest';
import {
  isTableFormat,
  preformat,
  renderList,
  selectFormat,
} from '../../../src/cli/format/formatter.js';
import { CONTAINER_HEADERS, DEFAULT_CONTAINER_TABLE } from '../../../src/cli/format/headers.js';

const HEADERS = { Name: 'NAME', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Error: 'ERROR' };
const TYPE = '*formatter.clientContextContext';
const row = (Name: string, Current: boolean, Description: string, DockerEndpoint: string) => ({
  Name,
  Current,
  Description,
  DockerEndpoint,
  Error: '',
});
const rows = [
  row('default', true, 'Current DOCKER_HOST based configuration', 'unix:///var/run/docker.sock'),
  row('foo', false, 'a<b&c>"d', 'unix:///tmp/x.sock'),
  row('yy', false, 'é combining: é', 'unix:///y'),
  row('zz', false, '日本語テキスト', 'unix:///z'),
];
const render = (format: string, r: object[] = rows) => renderList(format, r, { headers: HEADERS, typeName: TYPE });

describe('renderList (docker goldens)', () => {
  it('default table: tab-aligned, trailing padding kept, wide characters counted twice', () => {
    const lsRows = rows.map((r, i) => (i === 0 ? { ...r, Name: 'default *' } : r));
    expect(render('table {{.Name}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}', lsRows)).toBe(
      'NAME        DESCRIPTION                               DOCKER ENDPOINT               ERROR\n' +
        'default *   Current DOCKER_HOST based configuration   unix:///var/run/docker.sock   \n' +
        'foo         a<b&c>"d                                  unix:///tmp/x.sock            \n' +
        'yy          é combining: é                            unix:///y                     \n' +
        'zz          日本語テキスト                            unix:///z                     \n',
    );
  });

  it('a newline in a table row ends the column block (tabwriter flush)', () => {
    expect(render('table {{.Name}}\\t{{.Description}}\\n{{.Error}}')).toBe(
      'NAME      DESCRIPTION\nERROR\ndefault   Current DOCKER_HOST based configuration\n\nfoo       a<b&c>"d\n\nyy        é combining: é\n\nzz        日本語テキスト\n\n',
    );
  });

  it('header row keeps names intact through docker functions', () => {
    expect(render('table {{json .Name}}\\t{{.Name}}\\t{{pad .Name 1 1}}|\\t{{.Name | printf "%q"}}\\t{{upper .Description}}')).toBe(
      'NAME        NAME       NAME |      "NAME"      DESCRIPTION\n' +
        '"default"   default    default |   "default"   CURRENT DOCKER_HOST BASED CONFIGURATION\n' +
        '"foo"       foo        foo |       "foo"       A<B&C>"D\n' +
        '"yy"        yy         yy |        "yy"        É COMBINING: É\n' +
        '"zz"        zz         zz |        "zz"        日本語テキスト\n',
    );
  });

  it('json: one object per line, keys sorted, HTML escaped (context MarshalJSON)', () => {
    expect(render('json')).toBe(
      '{"Current":true,"Description":"Current DOCKER_HOST based configuration","DockerEndpoint":"unix:///var/run/docker.sock","Error":"","Name":"default"}\n' +
        '{"Current":false,"Description":"a\\u003cb\\u0026c\\u003e\\"d","DockerEndpoint":"unix:///tmp/x.sock","Error":"","Name":"foo"}\n' +
        '{"Current":false,"Description":"é combining: é","DockerEndpoint":"unix:///y","Error":"","Name":"yy"}\n' +
        '{"Current":false,"Description":"日本語テキスト","DockerEndpoint":"unix:///z","Error":"","Name":"zz"}\n',
    );
    expect(render('{{json .}}')).toBe(render('json'));
  });

  it('string functions on every row', () => {
    expect(
      render('{{.Description | json}}|{{.Description | printf "%q"}}|{{.Description | printf "%x"}}|{{len .Description}}|{{title .Description}}|{{upper .Description}}'),
    ).toBe(
      '"Current DOCKER_HOST based configuration"|"Current DOCKER_HOST based configuration"|43757272656e7420444f434b45525f484f535420626173656420636f6e66696775726174696f6e|39|Current DOCKER_HOST Based Configuration|CURRENT DOCKER_HOST BASED CONFIGURATION\n' +
        '"a<b&c>\\"d"|"a<b&c>\\"d"|613c6226633e2264|8|A<B&C>"D|A<B&C>"D\n' +
        '"é combining: é"|"é combining: é"|c3a920636f6d62696e696e673a20c3a9|16|É Combining: É|É COMBINING: É\n' +
        '"日本語テキスト"|"日本語テキスト"|e697a5e69cace8aa9ee38386e382ade382b9e38388|21|日本語テキスト|日本語テキスト\n',
    );
  });

  it('non-table formats print tabs and \\n escapes raw, a newline after each row', () => {
    expect(render('{{.Name}}\\t{{.Description}}\\n', rows.slice(0, 2))).toBe(
      'default\tCurrent DOCKER_HOST based configuration\n\nfoo\ta<b&c>"d\n\n',
    );
    expect(render('{{if .Current}}yes{{end}}', rows.slice(0, 2))).toBe('yes\n\n');
  });

  it('a header field missing from the header map prints <no value>', () => {
    expect(render('table {{.Name}}:{{.Current}}', rows.slice(0, 2))).toBe('NAME:<no value>\ndefault:true\nfoo:false\n');
  });

  it('prints the header of an empty table', () => {
    expect(render('table {{.Name}}\t{{.Error}}', [])).toBe('NAME      ERROR\n');
    expect(render('{{.Name}}', [])).toBe('');
  });

  it('fails the whole list on an error in any row', () => {
    expect(() => render('table {{.Name}}\t{{.Nope}}')).toThrow(
      `template parsing error: template: :1:12: executing "" at <.Nope>: can't evaluate field Nope in type ${TYPE}`,
    );
  });

  it('accepts getter rows and methods with arguments', () => {
    class Ctx {
      constructor(private readonly labels: Record<string, string>) {}
      get ID(): string {
        return 'abc';
      }
      Label(k: string): string {
        return this.labels[k] ?? '';
      }
    }
    expect(renderList('table {{.ID}}\t{{.Label "a"}}', [new Ctx({ a: 'x' })], { headers: { ID: 'ID' } })).toBe("ID        \nabc       x\n");
    expect(renderList('json', [new Ctx({ a: 'x' })], { headers: {} })).toBe('{"ID":"abc"}\n');
  });
});

describe('format selection', () => {
  it.each([
    [undefined, {}, DEFAULT_CONTAINER_TABLE],
    ['', {}, DEFAULT_CONTAINER_TABLE],
    ['table', {}, DEFAULT_CONTAINER_TABLE],
    ['table', { quiet: true }, '{{.ID}}'],
    ['{{.Names}}', { quiet: true }, '{{.ID}}'],
    ['{{.Names}}', { quiet: true, quietOverridesCustom: false }, '{{.Names}}'],
    ['raw', { raw: 'container_id: {{.ID}}' }, 'container_id: {{.ID}}'],
    ['raw', {}, 'raw'],
    ['json', {}, 'json'],
  ])('selectFormat(%j, %j)', (source, opts, expected) => {
    expect(selectFormat(source, { table: DEFAULT_CONTAINER_TABLE, ...opts })).toBe(expected);
  });

  it('preformat follows docker: table prefix, json keyword, space trim, \\t and \\n', () => {
    expect(preformat('table {{.ID}}\\t{{.Names}}')).toBe('{{.ID}}\t{{.Names}}');
    expect(preformat('json')).toBe('{{json .}}');
    expect(preformat('  {{.ID}}\\n  ')).toBe('{{.ID}}\n');
    expect(preformat('\t{{.ID}}')).toBe('\t{{.ID}}'); // only spaces are trimmed
    expect(isTableFormat('tablefoo')).toBe(true);
    expect(isTableFormat('{{.ID}}')).toBe(false);
  });

  it('the docker ps default table renders its header', () => {
    expect(renderList(DEFAULT_CONTAINER_TABLE, [], { headers: CONTAINER_HEADERS })).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
  });
});
