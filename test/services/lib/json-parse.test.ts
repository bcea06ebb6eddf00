import { beforeAll, describe, expect, it } from 'vitest'
import { loadHarness, type LibHarness } from './load-harness.js'

const VALID_DOCUMENTS = [
  'null',
  'true',
  'false',
  '0',
  '1',
  '-1',
  '1.5',
  '-0.25',
  '1e+21',
  '1.5e-7',
  '""',
  '"plain"',
  '[]',
  '{}',
  '[[]]',
  '{"a":{}}',
  ' \t\r\n [ 1 , 2 ] \n',
  '{ "name" : "Lineage" , "tags" : [ "a" , "b" ] , "n" : null }',
  '{"b":1,"a":2,"c":{"z":true,"y":false}}',
  '[1,"two",[3,{"four":4}],null,true,false]',
  '"quote \\" backslash \\\\ slash \\/ controls \\b\\f\\n\\r\\t"',
  '"\\u0000\\u001f\\u007f\\u0080"',
  '"\\u00e9\\u65e5\\u672c"',
  '"\\ud83e\\udd84 \\uD83E\\uDD84"',
  '"raw é 日本 🦄"',
  '"\u2028\u2029"',
  '{"":""}',
  '{"key with \\"quotes\\"":1}',
  '{"__proto__":1,"constructor":2}',
  '[-123456789,0.1,2.5e-7,1e+300]',
]

describe('services/lib parseJson', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it.each(VALID_DOCUMENTS)('parses %s and writes it as JSON.stringify(JSON.parse(x)) does', (text) => {
    const written = harness.jsonRoundTrip(text)
    expect(harness.jsonLastError()).toBe('')
    expect(harness.jsonLastErrorOffset()).toBe(-1)
    expect(written).toBe(JSON.stringify(JSON.parse(text)))
  })

  it('keeps every number exactly as written', () => {
    const text = '[-0,1.0,1E5,-0.0e-0,0.10,123456789012345678901234567890,1e400]'
    expect(harness.jsonRoundTrip(text)).toBe(text)
  })

  it('decodes unicode escapes to the same string as JSON.parse', () => {
    for (const text of ['"\\u00e9"', '"\\u00E9"', '"\\ud83e\\udd84"', '"\\u0041\\u0042"', '"x\\u0000y"', '"\\uffff"']) {
      const written = harness.jsonRoundTrip(text)
      expect(written, text).not.toBeNull()
      expect(JSON.parse(written!), text).toBe(JSON.parse(text))
    }
  })

  it('exports JSON_MAX_DEPTH = 64', () => {
    expect(harness.JSON_MAX_DEPTH.value).toBe(64)
  })

  it('accepts 64 levels of nesting and rejects 65', () => {
    const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)
    expect(harness.jsonRoundTrip(arrays(64))).toBe(arrays(64))
    expect(harness.jsonRoundTrip(arrays(65))).toBeNull()
    expect(harness.jsonLastError()).toBe('nesting deeper than 64 at offset 64')
    expect(harness.jsonLastErrorOffset()).toBe(64)

    const objects = (depth: number): string => '{"k":'.repeat(depth) + '1' + '}'.repeat(depth)
    expect(harness.jsonRoundTrip(objects(64))).toBe(objects(64))
    expect(harness.jsonRoundTrip(objects(65))).toBeNull()
    expect(harness.jsonLastError()).toBe('nesting deeper than 64 at offset 320')

    // Each '[{"a":' opens two levels, so the 33rd one's '[' is level 65.
    const mixed = '[{"a":'.repeat(40) + '0' + '}]'.repeat(40)
    expect(harness.jsonRoundTrip(mixed)).toBeNull()
    expect(harness.jsonLastError()).toBe('nesting deeper than 64 at offset 192')
  })

  it('survives very deep input without running out of stack', () => {
    expect(harness.jsonRoundTrip('['.repeat(100_000))).toBeNull()
    expect(harness.jsonLastError()).toBe('nesting deeper than 64 at offset 64')
  })

  it.each([
    ['', 'unexpected end of input at offset 0'],
    ['   ', 'unexpected end of input at offset 3'],
    ['x', "unexpected character 'x' at offset 0"],
    ['{"name": "a"} x', "unexpected character 'x' at offset 14"],
    ['1 2', "unexpected character '2' at offset 2"],
    ['[1] []', "unexpected character '[' at offset 4"],
    ['{"a":1}}', "unexpected character '}' at offset 7"],
    ['[1,]', 'trailing comma at offset 2'],
    ['[1 , ]', 'trailing comma at offset 3'],
    ['{"a":1,}', 'trailing comma at offset 6'],
    ['[,1]', "unexpected character ',' at offset 1"],
    ['[1,,2]', "unexpected character ',' at offset 3"],
    ['[1 2]', "expected ',' or ']' but found '2' at offset 3"],
    ['{"a":1 "b":2}', "expected ',' or '}' but found '\"' at offset 7"],
    ['{"a" 1}', "expected ':' but found '1' at offset 5"],
    ['{a:1}', "expected a string key but found 'a' at offset 1"],
    ["{'a':1}", "expected a string key but found ''' at offset 1"],
    ['{1:1}', "expected a string key but found '1' at offset 1"],
    ['{"a":}', "unexpected character '}' at offset 5"],
    ['[', 'unexpected end of input at offset 1'],
    ['{"a":1', 'unexpected end of input at offset 6'],
    ['{"a"', 'unexpected end of input at offset 4'],
    ['{', 'unexpected end of input at offset 1'],
    ['01', 'leading zero in number at offset 0'],
    ['[-012]', 'leading zero in number at offset 1'],
    ['00', 'leading zero in number at offset 0'],
    ['-', 'unexpected end of input at offset 1'],
    ['-a', "expected a digit but found 'a' at offset 1"],
    ['1.', 'unexpected end of input at offset 2'],
    ['1.e5', "expected a digit but found 'e' at offset 2"],
    ['.5', "unexpected character '.' at offset 0"],
    ['1e', 'unexpected end of input at offset 2'],
    ['1e+', 'unexpected end of input at offset 3'],
    ['[1e+x]', "expected a digit but found 'x' at offset 4"],
    ['+1', "unexpected character '+' at offset 0"],
    ['0x10', "unexpected character 'x' at offset 1"],
    ['NaN', "unexpected character 'N' at offset 0"],
    ['-Infinity', "expected a digit but found 'I' at offset 1"],
    ['Infinity', "unexpected character 'I' at offset 0"],
    ['[1] // comment', "unexpected character '/' at offset 4"],
    ['/* c */ 1', "unexpected character '/' at offset 0"],
    ['tru', 'unexpected end of input at offset 3'],
    ['trUe', "unexpected character 'U' at offset 2"],
    ['nul', 'unexpected end of input at offset 3'],
    ['True', "unexpected character 'T' at offset 0"],
    ['"abc', 'unterminated string at offset 0'],
    ['["a\\', 'unterminated string at offset 1'],
    ['["a\\"]', 'unterminated string at offset 1'],
    ['"a\nb"', 'control character U+000A in string at offset 2'],
    ['"\u0000"', 'control character U+0000 in string at offset 1'],
    ['"tab\there"', 'control character U+0009 in string at offset 4'],
    ['"\\x41"', "invalid escape character 'x' at offset 1"],
    ['"\\\'"', "invalid escape character ''' at offset 1"],
    ['"\\U0041"', "invalid escape character 'U' at offset 1"],
    ['"\\u12"', 'invalid unicode escape at offset 1'],
    ['"\\u12g4"', 'invalid unicode escape at offset 1'],
    ['"ab\\ud800"', 'lone surrogate U+D800 in string at offset 3'],
    ['"\\ud83e x"', 'lone surrogate U+D83E in string at offset 1'],
    ['"\\ud83e\\u0041"', 'lone surrogate U+D83E in string at offset 1'],
    ['"\\ud83e\\ud83e\\udd84"', 'lone surrogate U+D83E in string at offset 1'],
    ['"\\udd84"', 'lone surrogate U+DD84 in string at offset 1'],
    ['"x\ud800"', 'lone surrogate U+D800 in string at offset 2'],
    ['"\udc00\ud800"', 'lone surrogate U+DC00 in string at offset 1'],
    ['\ufeff{}', 'unexpected character U+FEFF at offset 0'],
    ['\u00a0[]', 'unexpected character U+00A0 at offset 0'],
    ['🦄', 'unexpected character U+1F984 at offset 0'],
    ['{"name":1,"name":2}', 'duplicate key "name" at offset 10'],
    ['{"a":{"b":1,"c":2,"b":3}}', 'duplicate key "b" at offset 18'],
    ['{"\\u0061":1,"a":2}', 'duplicate key "a" at offset 12'],
    ['{"x\\ny":1,"x\\ny":2}', 'duplicate key "x\\ny" at offset 10'],
  ])('rejects %j with %j', (text, message) => {
    expect(harness.jsonRoundTrip(text)).toBeNull()
    expect(harness.jsonLastError()).toBe(message)
    const offset = Number(/at offset (\d+)$/.exec(message)![1])
    expect(harness.jsonLastErrorOffset()).toBe(offset)
  })

  it('reports the kind of every value consistently through isX() and asX()', () => {
    expect(harness.jsonDescribe('{"a":1,"b":[true,null,"s",{}],"c":{"d":-1.5e3}}')).toBe(
      'object(a:number,b:array(bool,null,string,object()),c:object(d:number))',
    )
  })

  it.each([
    ['0', 0, 1],
    ['-0', -0, 1],
    ['42', 42, 1],
    ['-7', -7, 1],
    ['1.0', 1, 1],
    ['1e3', 1000, 1],
    ['2.5E-1', 0.25, 0],
    ['1.5', 1.5, 0],
    ['9007199254740993', 9007199254740992, 1],
    ['1e400', Infinity, 0],
    ['-1e400', -Infinity, 0],
    ['0.1', 0.1, 0],
    ['123456789.123456789', 123456789.12345679, 0],
  ])('reads the number %s as %d (isInteger %d), as JavaScript does', (text, value, isInteger) => {
    expect(harness.jsonNumberToF64(text)).toBe(value)
    expect(harness.jsonNumberToF64(text)).toBe(JSON.parse(text))
    expect(harness.jsonNumberIsInteger(text)).toBe(isInteger)
    expect(harness.jsonNumberIsInteger(text)).toBe(Number(Number.isInteger(JSON.parse(text))))
  })

  it('builds numbers from i64', () => {
    expect(harness.jsonNumberFromI64(0n)).toBe('0')
    expect(harness.jsonNumberFromI64(-42n)).toBe('-42')
    expect(harness.jsonNumberFromI64(9223372036854775807n)).toBe('9223372036854775807')
    expect(harness.jsonNumberFromI64(-9223372036854775808n)).toBe('-9223372036854775808')
  })
})
