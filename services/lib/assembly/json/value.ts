// JSON values as a small class tree. `kind` says which subclass a value is, and the `asX()`
// casts return null for the wrong kind: AssemblyScript has no exceptions, so a failed cast
// must be a value the caller checks rather than a throw.

export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

export abstract class JsonValue {
  constructor(public readonly kind: JsonKind) {}

  isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  isBool(): bool {
    return this.kind == JsonKind.Bool;
  }
  isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  isString(): bool {
    return this.kind == JsonKind.String;
  }
  isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  isObject(): bool {
    return this.kind == JsonKind.Object;
  }

  // `kind` is fixed by each subclass's constructor, so it identifies the runtime class exactly.
  asBool(): JsonBool | null {
    return this.kind == JsonKind.Bool ? changetype<JsonBool>(this) : null;
  }
  asNumber(): JsonNumber | null {
    return this.kind == JsonKind.Number ? changetype<JsonNumber>(this) : null;
  }
  asString(): JsonString | null {
    return this.kind == JsonKind.String ? changetype<JsonString>(this) : null;
  }
  asArray(): JsonArray | null {
    return this.kind == JsonKind.Array ? changetype<JsonArray>(this) : null;
  }
  asObject(): JsonObject | null {
    return this.kind == JsonKind.Object ? changetype<JsonObject>(this) : null;
  }
}

export class JsonNull extends JsonValue {
  constructor() {
    super(JsonKind.Null);
  }
}

export class JsonBool extends JsonValue {
  constructor(public value: bool) {
    super(JsonKind.Bool);
  }
}

/**
 * A number kept as the exact text it was written with, so `stringifyJson` reproduces it byte
 * for byte (a 256-bit token id written as a JSON number would lose digits as an f64).
 * The constructor trusts `lexeme` to be a valid JSON number; `fromI64` builds one safely.
 */
export class JsonNumber extends JsonValue {
  constructor(public lexeme: string) {
    super(JsonKind.Number);
  }

  static fromI64(value: i64): JsonNumber {
    return new JsonNumber(value.toString());
  }

  /**
   * The nearest f64 as far as AssemblyScript's parseFloat finds it; for inputs with more
   * than 17 significant digits near the subnormal range it can be one unit in the last place
   * off from JavaScript's `Number()`. Too-large values give ±Infinity.
   */
  toF64(): f64 {
    return parseFloat(this.lexeme);
  }

  /** Same answer as JavaScript's `Number.isInteger(JSON.parse(lexeme))`: 1.0 and 1e3 are integers. */
  isInteger(): bool {
    const value = this.toF64();
    return isFinite(value) && Math.floor(value) == value;
  }
}

export class JsonString extends JsonValue {
  constructor(public value: string) {
    super(JsonKind.String);
  }
}

export class JsonArray extends JsonValue {
  constructor(public items: JsonValue[] = []) {
    super(JsonKind.Array);
  }
}

/** Entries in insertion order; `set` on an existing key replaces the value in place. */
export class JsonObject extends JsonValue {
  private entryKeys: string[] = [];
  private entryValues: JsonValue[] = [];
  private positions: Map<string, i32> = new Map<string, i32>();

  constructor() {
    super(JsonKind.Object);
  }

  get size(): i32 {
    return this.entryKeys.length;
  }

  /** A copy of the keys in order; changing it does not change the object. */
  keys(): string[] {
    return this.entryKeys.slice(0);
  }

  has(key: string): bool {
    return this.positions.has(key);
  }

  get(key: string): JsonValue | null {
    if (!this.positions.has(key)) return null;
    return this.entryValues[this.positions.get(key)];
  }

  set(key: string, value: JsonValue): void {
    if (this.positions.has(key)) {
      this.entryValues[this.positions.get(key)] = value;
      return;
    }
    this.positions.set(key, this.entryKeys.length);
    this.entryKeys.push(key);
    this.entryValues.push(value);
  }

  /** Returns false when the key was absent. Later entries keep their relative order. */
  delete(key: string): bool {
    if (!this.positions.has(key)) return false;
    const position = this.positions.get(key);
    this.positions.delete(key);
    this.entryKeys.splice(position, 1);
    this.entryValues.splice(position, 1);
    for (let i = position; i < this.entryKeys.length; i++) this.positions.set(this.entryKeys[i], i);
    return true;
  }
}
