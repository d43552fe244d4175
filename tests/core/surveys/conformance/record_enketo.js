// Runs Enketo's integration specs with recording stand-ins for the evaluator and chai, and
// prints every (expression, assertion, expected) the specs make, one JSON object per line.
process.env.TZ = 'America/Phoenix';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const ROOT = process.argv[2];            // the extracted repository
const FIXED_NOW = Date.parse('2023-11-15T10:30:00.000-07:00');
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(FIXED_NOW); else super(...args); }
  static now() { return FIXED_NOW; }
}
global.Date = FixedDate;

global.XPathResult = { ANY_TYPE:0, NUMBER_TYPE:1, STRING_TYPE:2, BOOLEAN_TYPE:3,
  UNORDERED_NODE_ITERATOR_TYPE:4, ORDERED_NODE_ITERATOR_TYPE:5, UNORDERED_NODE_SNAPSHOT_TYPE:6,
  ORDERED_NODE_SNAPSHOT_TYPE:7, ANY_UNORDERED_NODE_TYPE:8, FIRST_ORDERED_NODE_TYPE:9 };
global.Node = { ELEMENT_NODE:1, ATTRIBUTE_NODE:2, TEXT_NODE:3, DOCUMENT_NODE:9 };

let current = null;        // { file, title }
let documentUsed = false;  // the spec built its own XML document for this test
let throwing = false;      // inside assert.throw(...)
const out = [];

function stackLine(file) {
  const stack = new Error().stack.split('\n');
  for (const frame of stack) {
    const m = frame.match(/\((.*):(\d+):\d+\)$/) || frame.match(/at (.*):(\d+):\d+$/);
    if (m && m[1].endsWith(file)) return Number(m[2]);
  }
  return null;
}

function record(expr, kind, expected, extra) {
  out.push(Object.assign({
    file: current.file, title: current.title, line: stackLine(current.file), expr, kind,
    expected: encode(expected), documentUsed, throwing,
  }, extra || {}));
}

function encode(v) {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { number: 'NaN' };
    if (!Number.isFinite(v)) return { number: v > 0 ? 'Infinity' : '-Infinity' };
    if (Object.is(v, -0)) return { number: '-0' };
    return { number: v };
  }
  if (v instanceof RegExp) return { regex: v.source, flags: v.flags };
  if (typeof v === 'boolean') return { boolean: v };
  if (typeof v === 'string') return { string: v };
  if (v === undefined) return null;
  return { other: String(v) };
}

class Marker {
  constructor(expr, type, node, accessor) {
    this.expr = expr; this.type = type; this.node = node; this.accessor = accessor;
  }
}

function resultFor(expr, node, type) {
  if (typeof expr !== 'string') throw new Error('not an expression');
  if (throwing) { record(expr, 'throws', undefined, { node: !!node, rtype: type }); throw new Error('recorded'); }
  const make = accessor => {
    const m = new Marker(expr, type, node, accessor);
    return new Proxy(m, { get(target, prop) {
      if (prop in target) return target[prop];
      if (prop === 'length') return new Marker(expr, type, node, accessor + '.length');
      return undefined;
    }});
  };
  return {
    get numberValue() { return make('number'); },
    get stringValue() { return make('string'); },
    get booleanValue() { return make('boolean'); },
    get snapshotLength() { return make('nodes'); },
    snapshotItem() { return make('nodes'); },
    iterateNext() { return make('nodes'); },
    get singleNodeValue() { return make('nodes'); },
    get resultType() { return make('resultType'); },
  };
}

// Anything DOM-shaped: every property is another stub, calls return stubs, iteration is empty.
const stub = new Proxy(function () {}, {
  get(target, prop) {
    if (prop === Symbol.toPrimitive) return () => '';
    if (prop === Symbol.iterator) return function* () {};
    if (prop === 'length' || prop === 'nodeType') return 0;
    if (prop === 'then') return undefined;
    return stub;
  },
  apply: () => stub,
  construct: () => stub,
});
const doc = new Proxy({
  xEval: (e, node, rt) => resultFor(e, node, rt),
  evaluate: (e, node, nsr, rt) => resultFor(e, node, rt),
}, { get(target, prop) { return prop in target ? target[prop] : stub; } });

function markerCase(m, kind, expected, extra) {
  record(m.expr, kind + ':' + m.accessor, expected, Object.assign({ node: !!m.node, rtype: m.type }, extra || {}));
}

function helperAssert(kind) {
  // helpers take (node?, xmlValue?, expr, expected) with optional leading arguments
  return (...args) => {
    const expected = args.pop();
    const expr = args.pop();
    const value = args.length ? args.pop() : undefined;
    const node = args.length ? args.pop() : undefined;
    if (typeof expr !== 'string') return;
    record(expr, kind, expected, { node: !!node, valueDoc: value ? String(value) : '' });
  };
}

const helpers = {
  initDoc: (xml) => { if (xml && String(xml).trim()) documentUsed = true; return doc; },
  nsResolver: {},
  simpleValueIs: (v) => { documentUsed = true; return doc; },
  filterAttributes: () => stub, getNextChildElementNode: () => stub, getAllNodes: () => [],
  snapshotToArray: () => [], setAttribute: () => {},
  assert: null,
  assertThrow: (expr) => record(expr, 'throws', undefined, {}),
  assertNumberValue: helperAssert('number'),
  assertNumber: helperAssert('number-any'),
  assertString: helperAssert('string'),
  assertStringValue: helperAssert('string'),
  assertStringLength: helperAssert('string-length'),
  assertMatch: helperAssert('match'),
  assertBoolean: (...args) => { const v = args.pop(); helperAssert('boolean')(...args, !!v); },
  assertTrue: (...args) => helperAssert('boolean')(...args, true),
  assertFalse: (...args) => helperAssert('boolean')(...args, false),
  assertNodes: (expr) => record(expr, 'nodes', undefined, {}),
  assertUnorderedNodes: (expr) => record(expr, 'nodes', undefined, {}),
  assertNumberRounded: (expr, expected, factor, node) =>
    record(expr, 'number-rounded', expected, { factor, node: !!node }),
};

function chaiAssert() {
  const unknown = (name) => (...args) => {
    const m = args.find(a => a instanceof Marker);
    if (m) markerCase(m, 'unhandled-' + name, undefined);
  };
  const a = (value) => { if (value instanceof Marker) markerCase(value, 'ok', true); };
  a.equal = a.strictEqual = a.deepEqual = (actual, expected) => {
    if (actual instanceof Marker) markerCase(actual, 'equal', expected);
    else if (expected instanceof Marker) markerCase(expected, 'equal', actual);
  };
  a.notEqual = (actual, expected) => { if (actual instanceof Marker) markerCase(actual, 'not-equal', expected); };
  a.ok = a.isTrue = (v) => { if (v instanceof Marker) markerCase(v, 'equal', true); };
  a.notOk = a.isFalse = (v) => { if (v instanceof Marker) markerCase(v, 'equal', false); };
  a.isNaN = (v) => { if (v instanceof Marker) markerCase(v, 'equal', NaN); };
  a.match = (v, re) => { if (v instanceof Marker) markerCase(v, 'match', re); };
  a.closeTo = a.approximately = (v, e, d) => { if (v instanceof Marker) markerCase(v, 'close', e, { delta: d }); };
  a.typeOf = () => {};
  a.throw = a.throws = (fn) => {
    throwing = true;
    try { fn(); } catch (e) { /* recorded */ } finally { throwing = false; }
  };
  return new Proxy(a, { get(target, prop) { return prop in target ? target[prop] : unknown(prop); } });
}
const assert = chaiAssert();
helpers.assert = assert;

const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request.endsWith('/helpers')) return helpers;
  if (request === 'lodash') return {
    forEach: (c, f) => Array.isArray(c) ? c.forEach(f) : Object.keys(c).forEach(k => f(c[k], k)),
    times: (n, f) => Array.from({ length: n }, (_, i) => f(i)),
    uniq: (a) => [...new Set(a)],
  };
  if (request === 'chai') return { assert, expect: () => new Proxy({}, { get: () => () => {} }) };
  if (request.includes('src/openrosa-xpath')) return function () { return { evaluate: doc.evaluate, customXPathFunction: { add() {} } }; };
  return originalLoad.apply(this, arguments);
};

global.DOMParser = class { parseFromString() { documentUsed = true; return doc; } };
global.document = doc;

const scopes = [[]];
global.describe = (title, fn) => { scopes.push([]); try { fn(); } finally { scopes.pop(); } };
global.describe.skip = () => {};
global.describe.only = global.describe;
global.beforeEach = (fn) => { scopes[scopes.length - 1].push(fn); };
global.before = (fn) => { try { fn(() => {}); } catch (e) { /* ignore */ } };
global.after = global.afterEach = () => {};
global.it = (title, fn) => {
  current.title = title;
  documentUsed = false;
  try {
    for (const scope of scopes) for (const hook of scope) hook(() => {});
    documentUsed = false;
    fn && fn(() => {});
  } catch (e) {
    out.push({ file: current.file, title, error: String(e && e.message) });
  }
};
global.it.skip = () => {};
global.xit = () => {};
global.xdescribe = () => {};
global.it.only = global.it;

const files = process.argv.slice(3);
for (const file of files) {
  current = { file, title: '' };
  try { require(path.resolve(ROOT, file)); } catch (e) {
    out.push({ file, title: '(load)', error: String(e && e.stack) });
  }
}
for (const row of out) process.stdout.write(JSON.stringify(row) + '\n');
