// Parser for Go's text/template (text/template/parse/parse.go, node.go): builds the node tree
// from lexer items and reports errors as Go does, `template: :LINE: message`.
import { parseFloat, parseInt, parseUint, unquote, unquoteChar } from '../../../parse/strconv.js';
import { describeItem, lex, type Item, type ItemType } from './lex.js';
import {
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ListNode,
  type LoopControlNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
} from './nodes.js';

export * from './nodes.js';

export interface ParsedTemplate {
  root: ListNode;
  /** `{{define "name"}}` and `{{block "name"}}` bodies. */
  defines: Map<string, ListNode>;
  text: string;
}

export class TemplateParseError extends Error {
  constructor(readonly line: number, readonly detail: string) {
    super(`template: :${line}: ${detail}`);
    this.name = 'TemplateParseError';
  }
}

/** Parses a template; `hasFunction` tells which identifiers are functions (checked at parse time, as Go does). */
export function parseTemplate(text: string, hasFunction: (name: string) => boolean): ParsedTemplate {
  const items = lex(text);
  let i = 0;
  let line = 1;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let namePos = 0;
  const defines = new Map<string, ListNode>();

  const fail = (msg: string): never => {
    throw new TemplateParseError(line, msg);
  };
  const next = (): Item => {
    const it = items[Math.min(i, items.length - 1)];
    i++;
    line = it.line;
    if (it.type === 'error') fail(it.val);
    return it;
  };
  const backup = (n = 1): void => {
    i -= n;
  };
  const peek = (): Item => items[Math.min(i, items.length - 1)];
  const nextNonSpace = (): Item => {
    let it = next();
    while (it.type === 'space') it = next();
    return it;
  };
  const peekNonSpace = (): Item => {
    const it = nextNonSpace();
    backup();
    return it;
  };
  const unexpected = (it: Item, context: string): never => {
    if (it.type === 'error') fail(it.val);
    return fail(`unexpected ${describeItem(it)} in ${context}`);
  };
  const expect = (type: ItemType, context: string): Item => {
    const it = nextNonSpace();
    if (it.type !== type) unexpected(it, context);
    return it;
  };

  type End = { type: 'end' | 'else'; pos: number; item: Item };

  function itemList(): [ListNode, End] {
    const list: ListNode = { type: 'list', pos: peekNonSpace().pos, nodes: [] };
    while (peekNonSpace().type !== 'eof') {
      const n = textOrAction();
      if ('item' in n) return [list, n];
      list.nodes.push(n);
    }
    return fail('unexpected EOF');
  }

  function textOrAction(): Node | End {
    const it = nextNonSpace();
    if (it.type === 'text') return { type: 'text', pos: it.pos, text: it.val };
    if (it.type === 'leftDelim') return action();
    return unexpected(it, 'input');
  }

  function action(): Node | End {
    const it = nextNonSpace();
    switch (it.type) {
      case 'block':
        return blockControl();
      case 'break':
      case 'continue':
        return loopControl(it);
      case 'else': {
        const p = peekNonSpace();
        if (p.type === 'if' || p.type === 'with') return { type: 'else', pos: p.pos, item: it };
        expect('rightDelim', 'else');
        return { type: 'else', pos: it.pos, item: it };
      }
      case 'end':
        expect('rightDelim', 'end');
        return { type: 'end', pos: it.pos, item: it };
      case 'if':
      case 'range':
      case 'with':
        return control(it.type);
      case 'template':
        return templateControl();
    }
    backup();
    const pos = peek().pos;
    return { type: 'action', pos, pipe: pipeline('command', 'rightDelim') };
  }

  function loopControl(it: Item): LoopControlNode {
    const t = nextNonSpace();
    if (t.type !== 'rightDelim') unexpected(t, `{{${it.type}}}`);
    if (rangeDepth === 0) fail(`{{${it.type}}} outside {{range}}`);
    return { type: it.type as 'break' | 'continue', pos: it.pos };
  }

  function control(kind: 'if' | 'with' | 'range'): BranchNode {
    const saved = vars.length;
    const pipe = pipeline(kind, 'rightDelim');
    if (kind === 'range') rangeDepth++;
    const [list, end] = itemList();
    if (kind === 'range') rangeDepth--;
    let elseList: ListNode | undefined;
    if (end.type === 'else') {
      // `{{else if …}}` / `{{else with …}}` nest a new branch inside the else list.
      const p = peek();
      if ((kind === 'if' && p.type === 'if') || (kind === 'with' && p.type === 'with')) {
        next();
        elseList = { type: 'list', pos: end.pos, nodes: [control(kind)] };
      } else {
        const [l, e] = itemList();
        if (e.type !== 'end') fail(`expected end; found {{else}}`);
        elseList = l;
      }
    }
    vars = vars.slice(0, saved);
    return { type: kind, pos: pipe.pos, pipe, list, elseList };
  }

  function templateName(context: string): string {
    const it = nextNonSpace();
    namePos = it.pos;
    if (it.type !== 'string' && it.type !== 'rawString') unexpected(it, context);
    const name = unquote(it.val);
    if (name === undefined) fail('invalid syntax');
    return name as string;
  }

  function templateControl(): TemplateNode {
    const name = templateName('template clause');
    const pos = namePos;
    let pipe: PipeNode | undefined;
    if (nextNonSpace().type !== 'rightDelim') {
      backup();
      pipe = pipeline('template clause', 'rightDelim');
    }
    return { type: 'template', pos, name, pipe };
  }

  /** `{{block "name" pipeline}} body {{end}}` = define + template. */
  function blockControl(): TemplateNode {
    const name = templateName('block clause');
    const pos = namePos;
    const pipe = pipeline('block clause', 'rightDelim');
    const savedVars = vars;
    vars = ['$'];
    const [body, end] = itemList();
    if (end.type !== 'end') fail('unexpected {{else}} in block clause');
    vars = savedVars;
    defines.set(name, body);
    return { type: 'template', pos, name, pipe };
  }

  function pipeline(context: string, end: ItemType): PipeNode {
    const pipe: PipeNode = { type: 'pipe', pos: peekNonSpace().pos, isAssign: false, decl: [], cmds: [] };
    decl: for (;;) {
      const v = peekNonSpace();
      if (v.type !== 'variable') break;
      nextNonSpace();
      const nxt = peekNonSpace();
      if (nxt.type === 'assign' || nxt.type === 'declare') {
        pipe.isAssign = nxt.type === 'assign';
        nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
      } else if (nxt.type === 'char' && nxt.val === ',') {
        nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decl;
          fail('range can only initialize variables');
        }
        fail(`too many declarations in ${context}`);
      } else {
        // `$x` is an operand, not a declaration: give the tokens back.
        i = items.indexOf(v);
      }
      break;
    }
    for (;;) {
      const it = nextNonSpace();
      if (it.type === end) {
        if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((c, k) => {
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type)) {
            fail(`non executable command in pipeline stage ${k + 2}`);
          }
        });
        return pipe;
      }
      switch (it.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(it, context);
      }
    }
  }

  function command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op !== undefined) cmd.args.push(op);
      const it = next();
      if (it.type === 'space') continue;
      if (it.type === 'rightDelim' || it.type === 'rightParen') backup();
      else if (it.type !== 'pipe') unexpected(it, 'operand');
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  }

  function operand(): ArgNode | undefined {
    const node = term();
    if (node === undefined) return undefined;
    if (peek().type !== 'field') return node;
    const pos = peek().pos;
    const fields: string[] = [];
    while (peek().type === 'field') fields.push(next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default:
        return { type: 'chain', pos, node, field: fields };
    }
  }

  function term(): ArgNode | undefined {
    const it = nextNonSpace();
    switch (it.type) {
      case 'identifier':
        if (!hasFunction(it.val)) fail(`function ${JSON.stringify(it.val)} not defined`);
        return { type: 'identifier', pos: it.pos, ident: it.val };
      case 'dot':
        return { type: 'dot', pos: it.pos };
      case 'nil':
        return { type: 'nil', pos: it.pos };
      case 'variable': {
        const name = it.val.split('.')[0];
        if (!vars.includes(name)) fail(`undefined variable ${JSON.stringify(name)}`);
        return { type: 'variable', pos: it.pos, ident: [it.val] };
      }
      case 'field':
        return { type: 'field', pos: it.pos, ident: [it.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: it.pos, value: it.val === 'true' };
      case 'charConstant':
      case 'number':
        return newNumber(it);
      case 'leftParen':
        return pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString': {
        const text = unquote(it.val);
        if (text === undefined) fail('invalid syntax');
        return { type: 'string', pos: it.pos, quoted: it.val, text: text as string };
      }
    }
    backup();
    return undefined;
  }

  function newNumber(it: Item): NumberNode {
    const n: NumberNode = { type: 'number', pos: it.pos, text: it.val, isInt: false, isFloat: false, int: 0n, float: 0 };
    if (it.type === 'charConstant') {
      const r = unquoteChar(it.val, 1, "'");
      if (r === undefined || it.val.slice(r.next) !== "'") fail(`malformed character constant: ${it.val}`);
      const cp = r!.value.codePointAt(0)!;
      return { ...n, isInt: true, isFloat: true, int: BigInt(cp), float: cp };
    }
    if (it.val.endsWith('i')) fail(`complex numbers are not supported: ${JSON.stringify(it.val)}`);
    let isUint = false;
    try {
      n.int = parseUint(it.val, 0);
      isUint = true;
    } catch {
      /* not an unsigned integer */
    }
    try {
      n.int = parseInt(it.val, 0);
      n.isInt = true;
    } catch {
      /* not a signed integer */
    }
    if (n.isInt || isUint) {
      n.isFloat = true;
      n.float = Number(n.int);
    } else {
      try {
        const f = parseFloat(it.val);
        if (!/[.eEpP]/.test(it.val)) fail(`integer overflow: ${JSON.stringify(it.val)}`);
        n.isFloat = true;
        n.float = f;
        if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
          n.isInt = true;
          n.int = BigInt(f);
        }
      } catch (e) {
        if (e instanceof TemplateParseError) throw e;
      }
    }
    if (!n.isInt && !n.isFloat) fail(`illegal number syntax: ${JSON.stringify(it.val)}`);
    return n;
  }

  /** `{{define "name"}} … {{end}}` at the top level. */
  function parseDefinition(): void {
    const name = templateName('define clause');
    expect('rightDelim', 'define clause');
    const savedVars = vars;
    vars = ['$'];
    const [body, end] = itemList();
    if (end.type !== 'end') fail('unexpected {{else}} in define clause');
    vars = savedVars;
    defines.set(name, body);
  }

  const root: ListNode = { type: 'list', pos: 0, nodes: [] };
  while (peek().type !== 'eof') {
    if (peek().type === 'leftDelim') {
      const save = i;
      next();
      if (nextNonSpace().type === 'define') {
        parseDefinition();
        continue;
      }
      i = save;
    }
    const n = textOrAction();
    if ('item' in n) fail(`unexpected {{${n.type}}}`);
    root.nodes.push(n as Node);
  }
  return { root, defines, text };
}
