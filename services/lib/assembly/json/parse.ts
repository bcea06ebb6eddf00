// A strict RFC 8259 parser. Beyond the RFC's minimum it rejects what would let two readers
// disagree about a document: duplicate keys and lone surrogates (see parse-string.ts).
// Errors are returned, never thrown (AssemblyScript has no exceptions): the first problem
// stops parsing and is reported with its UTF-16 code unit offset.

import { quoteJsonString } from "./escape";
import { JsonCursor, QUOTE, DIGIT_ZERO, isDigit } from "./cursor";
import { readJsonString } from "./parse-string";
import { JsonValue, JsonNull, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject } from "./value";

/** Containers may nest this deep; one more '[' or '{' is an error. Bounds the parser's stack. */
export const JSON_MAX_DEPTH: i32 = 64;

export class JsonParseResult {
  constructor(
    /** The document's value, or null when `error` is set. */
    public value: JsonValue | null,
    /** "" on success, else a message ending in "at offset N". */
    public error: string,
    /** UTF-16 code unit offset of the error, or -1 on success. */
    public offset: i32,
  ) {}

  get ok(): bool {
    return this.error.length == 0;
  }
}

export function parseJson(text: string): JsonParseResult {
  const parser = new JsonParser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  if (value != null) {
    parser.skipWhitespace();
    if (parser.position < text.length) parser.failOnCurrent("unexpected character");
  }
  if (parser.error.length > 0) return new JsonParseResult(null, parser.error, parser.errorOffset);
  return new JsonParseResult(value, "", -1);
}

const PLUS: i32 = 0x2b;
const COMMA: i32 = 0x2c;
const MINUS: i32 = 0x2d;
const DOT: i32 = 0x2e;
const COLON: i32 = 0x3a;
const OPEN_BRACKET: i32 = 0x5b;
const CLOSE_BRACKET: i32 = 0x5d;
const OPEN_BRACE: i32 = 0x7b;
const CLOSE_BRACE: i32 = 0x7d;

class JsonParser extends JsonCursor {
  /** Parses the value at the cursor; `depth` counts the containers around it. */
  parseValue(depth: i32): JsonValue | null {
    const unit = this.peek();
    if (unit == OPEN_BRACE) return this.parseObject(depth + 1);
    if (unit == OPEN_BRACKET) return this.parseArray(depth + 1);
    if (unit == QUOTE) {
      const text = readJsonString(this);
      return text == null ? null : new JsonString(text);
    }
    if (unit == MINUS || isDigit(unit)) return this.parseNumber();
    if (unit == 0x74) return this.consumeWord("true") ? new JsonBool(true) : null; // t
    if (unit == 0x66) return this.consumeWord("false") ? new JsonBool(false) : null; // f
    if (unit == 0x6e) return this.consumeWord("null") ? new JsonNull() : null; // n
    return this.rejectCurrent("unexpected character");
  }

  private parseArray(depth: i32): JsonValue | null {
    if (depth > JSON_MAX_DEPTH) return this.reject("nesting deeper than " + JSON_MAX_DEPTH.toString(), this.position);
    this.position++;
    const items = new Array<JsonValue>();
    this.skipWhitespace();
    if (this.peek() == CLOSE_BRACKET) {
      this.position++;
      return new JsonArray(items);
    }
    while (true) {
      const item = this.parseValue(depth);
      if (item == null) return null;
      items.push(item);
      this.skipWhitespace();
      const separator = this.peek();
      if (separator == CLOSE_BRACKET) {
        this.position++;
        return new JsonArray(items);
      }
      if (separator != COMMA) return this.rejectCurrent("expected ',' or ']' but found");
      if (!this.consumeComma(CLOSE_BRACKET)) return null;
    }
  }

  private parseObject(depth: i32): JsonValue | null {
    if (depth > JSON_MAX_DEPTH) return this.reject("nesting deeper than " + JSON_MAX_DEPTH.toString(), this.position);
    this.position++;
    const object = new JsonObject();
    this.skipWhitespace();
    if (this.peek() == CLOSE_BRACE) {
      this.position++;
      return object;
    }
    while (true) {
      if (this.peek() != QUOTE) return this.rejectCurrent("expected a string key but found");
      const keyOffset = this.position;
      const key = readJsonString(this);
      if (key == null) return null;
      if (object.has(key)) return this.reject("duplicate key " + quoteJsonString(key), keyOffset);
      this.skipWhitespace();
      if (this.peek() != COLON) return this.rejectCurrent("expected ':' but found");
      this.position++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      if (value == null) return null;
      object.set(key, value);
      this.skipWhitespace();
      const separator = this.peek();
      if (separator == CLOSE_BRACE) {
        this.position++;
        return object;
      }
      if (separator != COMMA) return this.rejectCurrent("expected ',' or '}' but found");
      if (!this.consumeComma(CLOSE_BRACE)) return null;
    }
  }

  /** Steps over a ',' and the whitespace after it; a closing bracket next means a trailing comma. */
  private consumeComma(closing: i32): bool {
    const commaOffset = this.position;
    this.position++;
    this.skipWhitespace();
    if (this.peek() != closing) return true;
    this.fail("trailing comma", commaOffset);
    return false;
  }

  private consumeWord(word: string): bool {
    for (let i = 0; i < word.length; i++) {
      if (this.peek() != word.charCodeAt(i)) {
        this.failOnCurrent("unexpected character");
        return false;
      }
      this.position++;
    }
    return true;
  }

  /** '-'? ('0' | [1-9][0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)?, kept as its exact text. */
  private parseNumber(): JsonValue | null {
    const start = this.position;
    if (this.peek() == MINUS) this.position++;
    if (this.peek() == DIGIT_ZERO) {
      this.position++;
      if (isDigit(this.peek())) return this.reject("leading zero in number", start);
    } else if (!this.consumeDigits()) {
      return null;
    }
    if (this.peek() == DOT) {
      this.position++;
      if (!this.consumeDigits()) return null;
    }
    const exponentMarker = this.peek();
    if (exponentMarker == 0x65 || exponentMarker == 0x45) {
      // e or E
      this.position++;
      const sign = this.peek();
      if (sign == PLUS || sign == MINUS) this.position++;
      if (!this.consumeDigits()) return null;
    }
    return new JsonNumber(this.text.substring(start, this.position));
  }

  /** Consumes one or more digits; fails when there is none. */
  private consumeDigits(): bool {
    if (!isDigit(this.peek())) {
      this.failOnCurrent("expected a digit but found");
      return false;
    }
    while (isDigit(this.peek())) this.position++;
    return true;
  }

  private reject(message: string, offset: i32): JsonValue | null {
    this.fail(message, offset);
    return null;
  }

  private rejectCurrent(message: string): JsonValue | null {
    this.failOnCurrent(message);
    return null;
  }
}
