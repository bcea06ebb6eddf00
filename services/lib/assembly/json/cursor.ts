// Reading position, look-ahead and error reporting shared by the JSON parser's parts.
// Only the first error is kept: later ones are consequences of it.

export const TAB: i32 = 0x09;
export const LINE_FEED: i32 = 0x0a;
export const CARRIAGE_RETURN: i32 = 0x0d;
export const SPACE: i32 = 0x20;
export const QUOTE: i32 = 0x22;
export const SLASH: i32 = 0x2f;
export const BACKSLASH: i32 = 0x5c;
export const DIGIT_ZERO: i32 = 0x30;
export const DIGIT_NINE: i32 = 0x39;
/** What `peek` returns past the last character. */
export const END_OF_INPUT: i32 = -1;

export function isDigit(unit: i32): bool {
  return unit >= DIGIT_ZERO && unit <= DIGIT_NINE;
}

export function isHighSurrogate(unit: i32): bool {
  return unit >= 0xd800 && unit <= 0xdbff;
}

export function isLowSurrogate(unit: i32): bool {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** "U+000A", "U+1F984": how messages name characters that are not printable ASCII. */
export function codePointLabel(codePoint: i32): string {
  return "U+" + codePoint.toString(16).toUpperCase().padStart(4, "0");
}

export class JsonCursor {
  position: i32 = 0;
  /** "" until something fails, then the message including "at offset N". */
  error: string = "";
  errorOffset: i32 = -1;

  constructor(readonly text: string) {}

  peek(): i32 {
    return this.peekAt(this.position);
  }

  peekAt(offset: i32): i32 {
    return offset < this.text.length ? <i32>this.text.charCodeAt(offset) : END_OF_INPUT;
  }

  skipWhitespace(): void {
    while (true) {
      const unit = this.peek();
      if (unit != SPACE && unit != TAB && unit != LINE_FEED && unit != CARRIAGE_RETURN) return;
      this.position++;
    }
  }

  fail(message: string, offset: i32): void {
    if (this.error.length > 0) return;
    this.error = message + " at offset " + offset.toString();
    this.errorOffset = offset;
  }

  /** Fails with `message` followed by the character at the current position, or as end of input. */
  failOnCurrent(message: string): void {
    if (this.position >= this.text.length) {
      this.fail("unexpected end of input", this.text.length);
    } else {
      this.fail(message + " " + this.describeCharacter(this.position), this.position);
    }
  }

  /** 'x' for printable ASCII; otherwise the code point, joining a surrogate pair. */
  describeCharacter(offset: i32): string {
    const unit = this.text.charCodeAt(offset);
    if (unit > SPACE && unit < 0x7f) return "'" + String.fromCharCode(unit) + "'";
    const next = this.peekAt(offset + 1);
    if (isHighSurrogate(unit) && isLowSurrogate(next)) {
      return codePointLabel(0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00));
    }
    return codePointLabel(unit);
  }
}
