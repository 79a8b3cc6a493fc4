// Executes a parsed Go template (text/template/exec.go): field and method lookup, pipelines,
// variables, if/with/range/break/continue/template, typed function calls, and Go's error texts
// (`template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type …`).
import { formatArg } from '../fmt.js';
import { GoFloat, formatValue, goTypeName, kindOf, mapEntries } from '../value.js';
import { FuncError, truth, type FuncMap, type GoFunc, type ParamType } from './funcs.js';
import {
  nodeString,
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type Node,
  type NumberNode,
  type ParsedTemplate,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './parse.js';

export interface ExecOptions {
  /** Go's `missingkey=error` option: a missing map key fails instead of printing "<no value>". */
  missingKey?: 'default' | 'error';
}

export class TemplateExecError extends Error {
  constructor(message: string, readonly partialOutput: string) {
    super(message);
    this.name = 'TemplateExecError';
  }
}

const MISSING = Symbol('missing'); // "no final value" in a pipeline (Go's missingVal)
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_DEPTH = 1000;
const PARAM_NAMES: Record<ParamType, string> = {
  value: 'reflect.Value',
  any: 'interface {}',
  string: 'string',
  int: 'int',
  bool: 'bool',
  strings: '[]string',
};

type At = ArgNode | CommandNode | TemplateNode;

export function executeTemplate(t: ParsedTemplate, funcs: FuncMap, data: unknown, opts: ExecOptions = {}): string {
  const s = new State(t, funcs, opts.missingKey ?? 'default', '');
  s.vars.push({ name: '$', value: data });
  try {
    s.walk(data, t.root);
  } catch (e) {
    if (e instanceof TemplateExecError) throw new TemplateExecError(e.message, s.out);
    throw e;
  }
  return s.out;
}

class State {
  out = '';
  vars: { name: string; value: unknown }[] = [];
  private node: At | undefined;
  private depth = 0;

  constructor(
    private readonly t: ParsedTemplate,
    private readonly funcs: FuncMap,
    private readonly missingKey: 'default' | 'error',
    private readonly name: string,
  ) {}

  private at(n: At): void {
    this.node = n;
  }

  private error(msg: string): never {
    if (this.node === undefined) throw new TemplateExecError(`template: ${this.name}: ${msg}`, '');
    const before = this.t.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1));
    const ctx = nodeString(this.node);
    throw new TemplateExecError(`template: ${this.name}:${line}:${col}: executing ${JSON.stringify(this.name)} at <${ctx}>: ${msg}`, '');
  }

  // --- variables ---
  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.error(`undefined variable: ${name}`);
  }
  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.error(`undefined variable: ${name}`);
  }

  // --- statements ---
  walk(dot: unknown, node: Node): void {
    switch (node.type) {
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node.pipe, val);
        return;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'template':
        return this.walkTemplate(dot, node);
    }
  }

  private printValue(pipe: PipeNode, v: unknown): void {
    if (v === undefined) {
      this.out += '<no value>';
      return;
    }
    if (typeof v === 'function') this.error(`can't print ${nodeString(pipe)} of type ${goTypeName(v)}`);
    this.out += formatArg(v, 'v');
  }

  private walkIfOrWith(dot: unknown, n: BranchNode): void {
    const mark = this.mark();
    const val = this.evalPipeline(dot, n.pipe);
    if (truth(val)) this.walk(n.type === 'with' ? val : dot, n.list);
    else if (n.elseList) this.walk(dot, n.elseList);
    this.pop(mark);
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    const mark = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const decl = r.pipe.decl;
    let iterations = 0;
    const one = (index: unknown, elem: unknown): boolean => {
      iterations++;
      if (decl.length > 0) {
        // The declared variables were pushed by evalPipeline; the last one gets the element.
        this.vars[this.vars.length - 1].value = elem;
        if (decl.length > 1) this.vars[this.vars.length - 2].value = index;
      }
      const inner = this.mark();
      try {
        this.walk(elem, r.list);
      } catch (e) {
        if (e === BREAK) return false;
        if (e !== CONTINUE) throw e;
      } finally {
        this.pop(inner);
      }
      return true;
    };
    switch (kindOf(val)) {
      case 'slice':
        for (const [i, e] of (val as unknown[]).entries()) if (!one(i, e)) break;
        break;
      case 'map':
        for (const [k, e] of mapEntries(val as Record<string, unknown>)) if (!one(k, e)) break;
        break;
      case 'int': {
        if (decl.length > 1) this.error(`can't use ${formatValue(val)} to iterate over more than one variable`);
        const n = Number(val);
        for (let i = 0; i < n; i++) if (!one(i, i)) break;
        break;
      }
      case 'invalid':
      case 'nil':
        break;
      default:
        this.error(`range can't iterate over ${formatValue(val)}`);
    }
    if (iterations === 0 && r.elseList) this.walk(dot, r.elseList);
    this.pop(mark);
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    const body = this.t.defines.get(t.name);
    this.at(t);
    if (body === undefined) this.error(`template ${JSON.stringify(t.name)} not defined`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    if (this.depth >= MAX_DEPTH) this.error(`exceeded maximum template depth (${MAX_DEPTH})`);
    const sub = new State(this.t, this.funcs, this.missingKey, t.name);
    sub.depth = this.depth + 1;
    sub.vars.push({ name: '$', value: newDot });
    try {
      sub.walk(newDot, body!);
    } finally {
      this.out += sub.out;
    }
  }

  // --- expressions ---
  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.error('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private notAFunction(args: ArgNode[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) this.error(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n);
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) {
      return Number.isInteger(n.float) ? new GoFloat(n.float) : n.float;
    }
    if (n.isInt) return Number.isSafeInteger(Number(n.int)) ? Number(n.int) : n.int;
    return this.error(`${n.text} overflows int`);
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: ArgNode[], final: unknown): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: ArgNode[], final: unknown): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.error(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: ArgNode[], final: unknown): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: At, ident: string[], args: ArgNode[], final: unknown): unknown {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(dot, ident[i], node, [], MISSING, receiver);
    return this.evalField(dot, ident[ident.length - 1], node, args, final, receiver);
  }

  private evalField(dot: unknown, name: string, node: At, args: ArgNode[], final: unknown, receiver: unknown): unknown {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.error(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) this.error(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    const kind = kindOf(receiver);
    const obj = receiver as Record<string, unknown>;
    if (kind === 'struct' && /^\p{Lu}/u.test(name) && name in obj) {
      if (findGetter(obj, name)) {
        if (hasArgs) this.error(`wrong number of args for ${name}: want 0 got ${args.length - 1 + (final !== MISSING ? 1 : 0)}`);
        return obj[name];
      }
      const v = obj[name];
      if (typeof v === 'function') return this.evalMethod(dot, v.bind(receiver), node, name, args, final);
      if (hasArgs) this.error(`${name} has arguments but cannot be invoked as function`);
      return v;
    }
    if (kind === 'map') {
      const v = receiver instanceof Map ? receiver.get(name) : Object.hasOwn(obj, name) ? obj[name] : undefined;
      if (typeof v === 'function') return this.evalMethod(dot, v as (...a: unknown[]) => unknown, node, name, args, final);
      if (hasArgs) this.error(`${name} is not a method but has arguments`);
      if (v === undefined && this.missingKey === 'error') this.error(`map has no entry for key ${JSON.stringify(name)}`);
      return v;
    }
    return this.error(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  /** A JS function reached as `.Name arg…`: a Go method with untyped parameters. */
  private evalMethod(dot: unknown, fn: (...a: unknown[]) => unknown, node: At, name: string, args: ArgNode[], final: unknown): unknown {
    const goFn: GoFunc = { params: Array<ParamType>(fn.length).fill('any'), fn };
    return this.evalCall(dot, goFn, false, node, name, args, final);
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: At, args: ArgNode[], final: unknown): unknown {
    this.at(node);
    const f = this.funcs[node.ident];
    if (f === undefined) this.error(`${JSON.stringify(node.ident)} is not a defined function`);
    return this.evalCall(dot, f, true, cmd, node.ident, args, final);
  }

  private evalCall(dot: unknown, f: GoFunc, builtin: boolean, node: At, name: string, args: ArgNode[], final: unknown): unknown {
    const argNodes = args.slice(1);
    const hasFinal = final !== MISSING;
    const numIn = argNodes.length + (hasFinal ? 1 : 0);
    const fixed = f.params.length;
    if (f.variadic !== undefined) {
      if (numIn < fixed) this.error(`wrong number of args for ${name}: want at least ${fixed} got ${argNodes.length}`);
    } else if (numIn !== fixed) this.error(`wrong number of args for ${name}: want ${fixed} got ${numIn}`);

    if (builtin && (name === 'and' || name === 'or')) {
      // and/or short-circuit and return the deciding operand itself.
      let v: unknown;
      for (const a of argNodes) {
        v = this.evalArg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      return hasFinal ? final : v;
    }

    const argv: unknown[] = [];
    let i = 0;
    for (; i < fixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, f.params[i], argNodes[i]));
    for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, f.variadic!, argNodes[i]));
    if (hasFinal) {
      const t = f.variadic !== undefined && numIn - 1 >= fixed ? f.variadic : f.params[numIn - 1];
      argv.push(this.validate(final, t));
    }
    try {
      return f.fn(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      this.at(node);
      return this.error(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private evalArg(dot: unknown, type: ParamType | undefined, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validate(dot, type);
      case 'nil':
        if (type === undefined || type === 'any' || type === 'value' || type === 'strings') return null;
        return this.error(`cannot assign nil to ${PARAM_NAMES[type]}`);
      case 'field':
        return this.validate(this.evalFieldNode(dot, n, [n], MISSING), type);
      case 'variable':
        return this.validate(this.evalVariableNode(dot, n, [], MISSING), type);
      case 'pipe':
        return this.validate(this.evalPipeline(dot, n), type);
      case 'identifier':
        return this.validate(this.evalFunction(dot, n, n, [n], MISSING), type);
      case 'chain':
        return this.validate(this.evalChainNode(dot, n, [], MISSING), type);
    }
    switch (type) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return this.error(`expected bool; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return Number(n.int);
        return this.error(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return this.error(`expected string; found ${nodeString(n)}`);
      case 'strings':
        return this.error(`can't handle ${nodeString(n)} for arg of type []string`);
    }
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
  }

  /** Go's validateType: does the value fit the parameter? */
  private validate(v: unknown, type: ParamType | undefined): unknown {
    if (type === undefined || type === 'value') return v;
    if (v === undefined) {
      if (type === 'any' || type === 'strings') return null;
      return this.error(`invalid value; expected ${PARAM_NAMES[type]}`);
    }
    const wrong = (): never => this.error(`wrong type for value; expected ${PARAM_NAMES[type]}; got ${goTypeName(v)}`);
    switch (type) {
      case 'any':
        return v;
      case 'string':
        return typeof v === 'string' ? v : wrong();
      case 'int':
        return kindOf(v) === 'int' ? Number(v) : wrong();
      case 'bool':
        return typeof v === 'boolean' ? v : wrong();
      case 'strings':
        return v === null || (Array.isArray(v) && v.every((e) => typeof e === 'string')) ? v : wrong();
    }
  }
}

function findGetter(obj: object, name: string): boolean {
  for (let o: object | null = obj; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return d.get !== undefined;
  }
  return false;
}
