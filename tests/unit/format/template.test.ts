// Expected outputs and error texts were produced by the docker 28.2 CLI itself
// (`docker context ls --format …`, `docker context inspect --format …`), which runs the same
// Go text/template + docker functions offline.
import { describe, expect, it } from 'vitest';
import { rowContext } from '../../../src/cli/format/formatter.js';
import { GO_TYPE_NAME } from '../../../src/cli/format/go/value.js';
import { FormatTemplate, renderTemplate } from '../../../src/cli/format/template.js';

const CTX = '*formatter.clientContextContext';
const foo = rowContext({ Name: 'foo', Current: false, Description: 'a<b&c>"d', DockerEndpoint: 'unix:///tmp/x.sock', Error: '' }, CTX);
const def = rowContext(
  { Name: 'default', Current: true, Description: 'Current DOCKER_HOST based configuration', DockerEndpoint: 'unix:///var/run/docker.sock', Error: '' },
  CTX,
);

const run = (tmpl: string, data: unknown = foo) => renderTemplate(tmpl, data);
const err = (tmpl: string, data: unknown = foo): string => {
  try {
    run(tmpl, data);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`no error for ${tmpl}`);
};

describe('template output', () => {
  it.each([
    ['{{.Name}}', 'foo'],
    ['{{json .Description}}', '"a<b&c>\\"d"'],
    ['{{json .}}', '{"Current":false,"Description":"a\\u003cb\\u0026c\\u003e\\"d","DockerEndpoint":"unix:///tmp/x.sock","Error":"","Name":"foo"}'],
    ['{{if .Current}}yes{{end}}', ''],
    ['{{.Name | printf "%q"}}', '"foo"'],
    ['{{index .Name 0}}', '102'],
    ['{{printf "%d" .Name}}', '%!d(string=foo)'],
    ['{{.Name -}}  x', 'foox'],
    ['{{len .Name}}', '3'],
    ['{{eq .Name "foo"}}', 'true'],
    ['{{if eq .Name "foo"}}F{{else if .Current}}C{{else}}N{{end}}', 'F'],
    [
      '{{printf "%5s|%-5s|%05d|%x|%X|%q|%v|%t|%c|%8.3f|%e|%g" "ab" "cd" 42 255 "hi" "q\\"" 3.5 true 65 3.14159 1234.5678 0.000012}}',
      '   ab|cd   |00042|ff|6869|"q\\""|3.5|true|A|   3.142|1.234568e+03|1.2e-05',
    ],
    ['{{printf "%s %s" "a"}}', 'a %!s(MISSING)'],
    ['{{printf "%s" "a" "b"}}', 'a%!(EXTRA string=b)'],
    ['{{print "a" 1 2 "b" true}}', 'a1 2btrue'],
    ['{{println "a" 1}}|', 'a 1\n|'],
    ['{{split .Name "o"}}', '[f  ]'],
    ['{{join (split "default" "e") "+"}}', 'd+fault'],
    ['{{title "hello world-foo bar_baz"}}', 'Hello World-Foo Bar_baz'],
    ['{{pad .Name 2 3}}|', '  foo   |'],
    ['{{pad "" 2 3}}|', '|'],
    ['{{truncate "default" 3}}', 'def'],
    ['{{truncate "ab" 3}}', 'ab'],
    ['{{upper .Name | lower}}', 'foo'],
    ['{{$x := .Name}}{{$x}}', 'foo'],
    ['{{range $i, $e := split .Name ""}}{{$i}}={{$e}},{{end}}', '0=f,1=o,2=o,'],
    ['{{.Name |}}', 'foo'],
    ['{{.Name\n}}', 'foo'],
    ["{{'a'}}", '97'],
    ['{{1e3}} {{0x1F}} {{1.5}} {{-2}} {{1e21}} {{100000000.0}} {{2.0}} {{1e-7}} {{0.1}}', '1000 31 1.5 -2 1e+21 1e+08 2 1e-07 0.1'],
    ['{{printf "%v %v %v" 1e3 1.0 1e21}}', '1000 1 1e+21'],
    ['{{printf "%d" 1.5}}', '%!d(float64=1.5)'],
    ['{{printf "%s" 5}}', '%!s(int=5)'],
    ['{{printf "%v" (split "a,b" ",")}}', '[a b]'],
    ['{{printf "%q" (split "a,b" ",")}}', '["a" "b"]'],
    ['{{printf "%s %d"}}', '%!s(MISSING) %!d(MISSING)'],
    ['{{printf "%!"}}', '%!!(MISSING)'],
    ['{{printf "%z" 1}}', '%!z(int=1)'],
    ['{{printf "%6.2s|" "abcdef"}}', '    ab|'],
    ['{{printf "%+d % d %x %o %b" 5 5 -255 8 5}}', '+5  5 -ff 10 101'],
    ['{{printf "%#x %#v %T" 255 "s" 1}}', '0xff "s" int'],
    ['{{printf "%*d" 5 3}}', '    3'],
    ['{{printf "%[2]s %[1]s" "a" "b"}}', 'b a'],
    ['{{len (split "a,b" ",")}}', '2'],
    ['{{and 1 0 2}} {{or 0 "" "x"}} {{not 0}} {{and 1 2}} {{or 0 ""}}', '0 x true 2 '],
    ['{{with .Name}}<{{.}}>{{end}}', '<foo>'],
    ['{{with $x := 1}}{{$x}}{{end}}', '1'],
    ['{{with .Error}}x{{else}}empty{{end}}', 'empty'],
    ['{{range $v := split "a,b" ","}}{{$v}}{{else}}E{{end}}', 'ab'],
    ['{{range split "" ","}}[{{.}}]{{end}}', '[]'],
    ['{{range 3}}{{.}}{{end}}', '012'],
    ['{{slice "abcdef" 1 3}}', 'bc'],
    [`{{html "<a&b>\\"'"}}`, '&lt;a&amp;b&gt;&#34;&#39;'],
    ['{{urlquery "a b&c/d"}}', 'a+b%26c%2Fd'],
    [`{{js "a<b'c\\""}}`, `a\\u003Cb\\'c\\"`],
    ['{{index (split "a,b" ",") 1}}', 'b'],
    ['{{eq "a" "b" "a"}}', 'true'],
    ['{{ne 1 2}} {{lt 1 2}} {{le "a" "b"}} {{gt 2 1}} {{ge 1.5 2.5}}', 'true true true true false'],
    ['{{eq true true}}', 'true'],
    ['{{eq .Current false}}', 'true'],
    ['{{.Name | len}}', '3'],
    ['{{range split "a,b,c" ","}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', 'a'],
    ['{{range split "a,b,c" ","}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}', 'ac'],
    ['{{$x := 1}}{{$x = 2}}{{$x}}', '2'],
    ['{{true}} {{false}}', 'true false'],
    ['{{define "x"}}a{{.}}{{end}}{{template "x" .Name}}', 'afoo'],
    ['{{block "b" .Name}}[{{.}}]{{end}}', '[foo]'],
    ['{{- /* c */ -}} x', 'x'],
    ['{{/* c */}}x', 'x'],
    ['a {{- .Name -}} b', 'afoob'],
    ['a {{-\t.Name}}', 'afoo'],
    ['{{.Name -}}\n  x', 'foox'],
    ['{{-3}}', '-3'],
    ['{{ -3}}', '-3'],
    ['{{print}}|', '|'],
    ['{{json .Current}} {{json 1.5}} {{json (split "a" ",")}}', 'false 1.5 ["a"]'],
    ['{{json nil}}', 'null'],
    ['{{.Name | printf "%s" | printf "%q"}}', '"foo"'],
    ['{{(.Name)}}', 'foo'],
    ['{{eq nil nil}}', 'true'],
    ['{{printf "%v" nil}}', '<nil>'],
    ['{{printf "%.2f|%6.1e|%g|%G|%.3g" 2.5 12345.678 1e-7 1e21 1234.5}}', '2.50|1.2e+04|1e-07|1E+21|1.23e+03'],
    ['{{printf "%.0f %.0f %.1f %.2f" 0.5 1.5 0.25 1.005}}', '0 2 0.2 1.00'],
    ['{{printf "%x %X %o %c %U %q" "héllo" 255 -8 9731 9731 9731}}', "68c3a96c6c6f FF -10 ☃ U+2603 '☃'"],
    ['{{printf "%5t|%-7v|%07.2f|%+.1e|%08d|%-08d|" true 1.5 3.14159 12345.0 -42 42}}', ' true|1.5    |0003.14|+1.2e+04|-0000042|42      |'],
    ['{{printf "%s" (split "a,b" ",")}}{{printf "%d" (split "a,b" ",")}}', '[a b][%!d(string=a) %!d(string=b)]'],
    ['{{(index (split "a.b" ".") 1) | upper}}', 'B'],
  ])('%s', (tmpl, expected) => {
    expect(run(tmpl)).toBe(expected);
  });
});

describe('template errors (docker wording)', () => {
  const P = 'template parsing error: template: ';
  it.each([
    ['{{.Foo}}', `:1:2: executing "" at <.Foo>: can't evaluate field Foo in type ${CTX}`],
    ['{{.Name', ':1: unclosed action'],
    ['{{foo .Name}}', ':1: function "foo" not defined'],
    ['{{.Description.X}}', `:1:14: executing "" at <.Description.X>: can't evaluate field X in type string`],
    ['{{index .Name 50}}', ':1:2: executing "" at <index .Name 50>: error calling index: index out of range: 50'],
    ['{{.Name 1}}', ':1:2: executing "" at <.Name>: wrong number of args for Name: want 0 got 1'],
    ['{{eq .Name 1}}', ':1:2: executing "" at <eq .Name 1>: error calling eq: incompatible types for comparison'],
    ['{{lt .Name 1}}', ':1:2: executing "" at <lt .Name 1>: error calling lt: incompatible types for comparison'],
    ['{{.Name}', ":1: bad character U+007D '}'"],
    ['{{}}', ':1: missing value for command'],
    ['{{end}}', ':1: unexpected {{end}}'],
    ['{{ end }}', ':1: unexpected {{end}}'],
    ['{{if .Name}}', ':1: unexpected EOF'],
    ['{{else}}', ':1: unexpected {{else}}'],
    ['{{range}}{{end}}', ':1: missing value for range'],
    ['{{.Name | .Current}}', ':1:10: executing "" at <.Current>: wrong number of args for Current: want 0 got 1'],
    ['{{"a" .Name}}', `:1:2: executing "" at <"a">: can't give argument to non-function "a"`],
    ['{{$y}}', ':1: undefined variable "$y"'],
    ['{{json}}', ':1:2: executing "" at <json>: wrong number of args for json: want 1 got 0'],
    ['{{index}}', ':1:2: executing "" at <index>: wrong number of args for index: want at least 1 got 0'],
    ['{{-.Name}}', ':1: bad number syntax: "-.N"'],
    ['{{/* c */ .Name}}', ':1: comment ends before closing delimiter'],
    ['{{and}}', ':1:2: executing "" at <and>: wrong number of args for and: want at least 1 got 0'],
    ['{{not}}', ':1:2: executing "" at <not>: wrong number of args for not: want 1 got 0'],
    ['{{range $i, $c := "ab"}}{{$i}}{{$c}}{{end}}', `:1:18: executing "" at <"ab">: range can't iterate over ab`],
    ['{{index "ab" -1}}', ':1:2: executing "" at <index "ab" -1>: error calling index: index out of range: -1'],
    ['{{eq 1 1.0}}', ':1:2: executing "" at <eq 1 1.0>: error calling eq: incompatible types for comparison'],
    ['{{gt 2.5 1}}', ':1:2: executing "" at <gt 2.5 1>: error calling gt: incompatible types for comparison'],
    ['{{break}}', ':1: {{break}} outside {{range}}'],
    ['{{(.Name}}', ':1: unclosed left paren'],
    ['{{.Name)}}', ':1: unexpected right paren'],
    ['{{| .Name}}', ':1: unexpected "|" in command'],
    ['{{"abc}}', ':1: unterminated quoted string'],
    ['{{"a\nb"}}', ':1: unterminated quoted string'],
    ['{{`abc}}', ':1: unterminated raw quoted string'],
    ["{{'ab'}}", ":1: malformed character constant: 'ab'"],
    ['{{/* x', ':1: unclosed comment'],
    ['{{if}}{{end}}', ':1: missing value for if'],
    ['{{with}}{{end}}', ':1: missing value for with'],
    ['{{range $a, $b, $c := .}}{{end}}', ':1: too many declarations in range'],
    ['{{$x := 1 | 2}}', ':1: non executable command in pipeline stage 2'],
    ['{{.Name .Current}}', ':1:2: executing "" at <.Name>: wrong number of args for Name: want 0 got 1'],
    ['{{if .Name}}{{else}}{{else}}{{end}}', ':1: expected end; found {{else}}'],
    ['{{range .Name}}{{end}}', `:1:8: executing "" at <.Name>: range can't iterate over foo`],
    ['{{.Name.}}', ':1: unexpected <.> in operand'],
    ['{{..Name}}', ':1: unexpected . after term "."'],
    ['{{$x = 1}}', ':1:7: executing "" at <1>: undefined variable: $x'],
    ['{{1 2}}', `:1:2: executing "" at <1>: can't give argument to non-function 1`],
    ['{{1e3}} {{nil}}', ':1:10: executing "" at <nil>: nil is not a command'],
    ['{{index .Name "a"}}', ':1:2: executing "" at <index .Name "a">: error calling index: cannot index slice/array with type string'],
    ['{{index 1 1}}', `:1:2: executing "" at <index 1 1>: error calling index: can't index item of type int`],
    ['{{index nil 1}}', ':1:2: executing "" at <index nil 1>: error calling index: index of untyped nil'],
    ['{{len 3}}', ':1:2: executing "" at <len 3>: error calling len: len of type int'],
    ['{{printf}}', ':1:2: executing "" at <printf>: wrong number of args for printf: want at least 1 got 0'],
    ['{{split .Name}}', ':1:2: executing "" at <split>: wrong number of args for split: want 2 got 1'],
    ['{{truncate .Name "a"}}', ':1:17: executing "" at <"a">: expected integer; found "a"'],
    ['{{.Name | truncate 2}}', ':1:19: executing "" at <2>: expected string; found 2'],
    ['{{pad .Name}}', ':1:2: executing "" at <pad>: wrong number of args for pad: want 3 got 1'],
    ['{{join .Name ","}}', ':1:7: executing "" at <.Name>: wrong type for value; expected []string; got string'],
    // Go reports the node it evaluated last, here the receiver pipeline's last argument.
    ['{{(split .Name "o").X}}', `:1:15: executing "" at <"o">: can't evaluate field X in type []string`],
    ['{{len nil}}', ':1:2: executing "" at <len nil>: error calling len: reflect: call of reflect.Value.Type on zero Value'],
    ['{{template "nope"}}', ':1:11: executing "" at <{{template "nope"}}>: template "nope" not defined'],
    ['x\n  {{.Nope}}', `:2:4: executing "" at <.Nope>: can't evaluate field Nope in type ${CTX}`],
    ['é{{.Nope}}', `:1:4: executing "" at <.Nope>: can't evaluate field Nope in type ${CTX}`],
  ])('%j', (tmpl, message) => {
    expect(err(tmpl)).toBe(P + message);
  });


  it('is a MinidockError of kind invalid (exit 1, as docker)', () => {
    try {
      FormatTemplate.parse('{{');
    } catch (e) {
      expect(e).toMatchObject({ kind: 'invalid', exitCode: 1 });
    }
    expect.assertions(1);
  });

  it('keeps the output written before an execution error', () => {
    const r = FormatTemplate.parse('a{{.Name}}b{{.Nope}}c').tryExecute(foo);
    expect(r.output).toBe('afoob');
    expect(r.error?.message).toContain("can't evaluate field Nope");
  });
});

describe('maps, nested structs and missing keys', () => {
  class EndpointMeta {
    constructor(
      public Host: string,
      public SkipTLSVerify: boolean,
    ) {}
  }
  const data = { Name: 'foo', Endpoints: { docker: new EndpointMeta('unix:///tmp/x.sock', false) } };

  it.each([
    ['{{.Endpoints}}', 'map[docker:{unix:///tmp/x.sock false}]'],
    ['{{.Endpoints.missing}}', '<no value>'],
    ['{{eq .Endpoints.missing "x"}}', 'false'],
    ['{{index .Endpoints "missing"}}', '<no value>'],
    ['{{range $k, $v := .Endpoints}}{{$k}}={{$v}};{{end}}', 'docker={unix:///tmp/x.sock false};'],
    ['{{.Endpoints.docker.Host}}', 'unix:///tmp/x.sock'],
    ['{{.Endpoints.missing.Host}}', '<no value>'],
    ['{{printf "%v|%s|%d" .Endpoints .Endpoints 3}}', 'map[docker:{unix:///tmp/x.sock false}]|map[docker:{unix:///tmp/x.sock %!s(bool=false)}]|3'],
    ['{{if .Endpoints.missing}}y{{else}}n{{end}}', 'n'],
    ['{{with .Endpoints.missing}}y{{else}}n{{end}}', 'n'],
    ['{{range .Endpoints.missing}}y{{else}}n{{end}}', 'n'],
    ['{{.Endpoints.docker}}', '{unix:///tmp/x.sock false}'],
    ['{{json .Endpoints.docker}}', '{"Host":"unix:///tmp/x.sock","SkipTLSVerify":false}'],
    ['{{range $k, $v := .L}}{{$k}}={{$v}},{{end}}', 'a=1,b=2,'],
    ['{{.L}}', 'map[a:1 b:2]'],
    ['{{json .L}}', '{"b":"2","a":"1"}'],
    ['{{json .M}}', '{"a":"1","b":"2"}'],
    ['{{index .M "b"}}', '2'],
    ['{{len .M}} {{len .L}}', '2 2'],
  ])('%s', (tmpl, expected) => {
    const d = { ...data, L: { b: '2', a: '1' }, M: new Map([['b', '2'], ['a', '1']]) };
    expect(run(tmpl, d)).toBe(expected);
  });

  it('reports errors docker reports on missing values', () => {
    expect(err('{{len .Endpoints.missing}}', data)).toBe(
      'template parsing error: template: :1:2: executing "" at <len .Endpoints.missing>: error calling len: reflect: call of reflect.Value.Type on zero Value',
    );
    expect(err('{{upper .Endpoints.missing}}', data)).toBe(
      'template parsing error: template: :1:18: executing "" at <.Endpoints.missing>: invalid value; expected string',
    );
  });

  it('missingkey=error fails on a missing key, as docker inspect does', () => {
    expect(() => renderTemplate('{{.Nope}}', data, { missingKey: 'error' })).toThrow(
      'template parsing error: template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"',
    );
    expect(renderTemplate('{{.Name}}', data, { missingKey: 'error' })).toBe('foo');
  });

  it('calls methods with arguments and names struct types', () => {
    class Row {
      static [GO_TYPE_NAME] = '*formatter.ContainerContext';
      constructor(private readonly labels: Record<string, string>) {}
      get Names(): string {
        return 'web';
      }
      Label(name: string): string {
        return this.labels[name] ?? '';
      }
      toString(): string {
        return 'row!';
      }
    }
    const r = new Row({ app: 'x' });
    expect(run('{{.Names}} {{.Label "app"}}|{{.Label "nope"}}|{{.}}', r)).toBe('web x||row!');
    expect(err('{{.Label}}', r)).toContain('wrong number of args for Label: want 1 got 0');
    expect(err('{{.Nope}}', r)).toContain("can't evaluate field Nope in type *formatter.ContainerContext");
  });

  it('prints nil and bigints like Go', () => {
    expect(run('{{.A}} {{.B}} {{printf "%v %d" .A .B}}', { A: null, B: 12345678901234567890n })).toBe(
      '<nil> 12345678901234567890 <nil> 12345678901234567890',
    );
  });
});

describe('docker header functions', () => {
  it('leave header names intact', () => {
    const t = FormatTemplate.parse('{{json .ID}} {{upper .ID}} {{lower .ID}} {{truncate .ID 2}} {{split .ID "x"}} {{pad .ID 1 1}}|');
    expect(t.execute(new Map([['ID', 'CONTAINER ID']]), { header: true })).toBe(
      'CONTAINER ID CONTAINER ID CONTAINER ID CONTAINER ID CONTAINER ID  CONTAINER ID |',
    );
  });
});
